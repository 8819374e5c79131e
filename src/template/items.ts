// Token types of Go's text/template lexer and their printed form in parse errors.

import { quoteGo } from './quote.ts'

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | Keyword

export type Keyword =
  | 'block'
  | 'break'
  | 'continue'
  | 'define'
  | 'dot'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with'

export interface Item {
  type: ItemType
  /** UTF-16 offset of the token in the template text. */
  pos: number
  val: string
  /** 1-based line of the token's start. */
  line: number
}

/** Go's item.String(), used in "unexpected ..." parse errors. */
export function describeItem(item: Item): string {
  if (item.type === 'eof') {
    return 'EOF'
  }
  if (item.type === 'error') {
    return item.val
  }
  if (KEYWORD_TYPES.has(item.type)) {
    return `<${item.val}>`
  }
  if (item.val.length > 10) {
    return `${quoteGo(truncateForItem(item.val))}...`
  }
  return quoteGo(item.val)
}

export const KEYWORDS: ReadonlyMap<string, Keyword> = new Map<string, Keyword>([
  ['.', 'dot'],
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['range', 'range'],
  ['nil', 'nil'],
  ['template', 'template'],
  ['with', 'with'],
])

const KEYWORD_TYPES: ReadonlySet<ItemType> = new Set(KEYWORDS.values())

// Go's %.10q keeps the first ten runes before quoting.
function truncateForItem(s: string): string {
  return Array.from(s).slice(0, 10).join('')
}
