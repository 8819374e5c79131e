import { PrunnerError } from '../shared/errors.ts'

/** Finds the value of a variable that is not defined earlier in the same file. */
export type OuterLookup = (name: string) => string | undefined

/**
 * Parses dotenv text the way godotenv 1.5 reads it (SPEC §2.6) and returns the variables in file
 * order. `$VAR`/`${VAR}` see earlier lines of this text first, then `outer`; unknown names expand
 * to "". Throws PrunnerError `ENV_FILE_INVALID` with message `line <n>: <reason>`.
 */
export function parseEnvText(text: string, outer: OuterLookup): Map<string, string> {
  return new EnvParser(text, outer).parse()
}

// Inline whitespace as godotenv counts it: no line breaks, but NEL and NBSP are included.
const INLINE_SPACE = new Set(['\t', '\v', '\f', '\r', ' ', '\u0085', '\u00a0'])
const KEY_CHAR = /^[\p{L}\p{N}_.]$/u
// godotenv only expands upper-case names; `$lower` stays literal, which matters for passwords.
const EXPANDABLE_NAME = /[A-Z0-9_]+/y

class EnvParser {
  readonly #text: string
  readonly #outer: OuterLookup
  readonly #vars = new Map<string, string>()
  #pos = 0
  #statementLine = 1

  constructor(text: string, outer: OuterLookup) {
    this.#text = text.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n')
    this.#outer = outer
  }

  parse(): Map<string, string> {
    while (this.#skipBlankAndComments()) {
      this.#statementLine = lineOf(this.#text, this.#pos)
      const key = this.#readKey()
      this.#vars.set(key, this.#readValue())
    }
    return this.#vars
  }

  /** Moves to the next statement; false at the end of the text. */
  #skipBlankAndComments(): boolean {
    const text = this.#text
    while (this.#pos < text.length) {
      const char = text[this.#pos] ?? ''
      if (/\s/.test(char)) {
        this.#pos++
      } else if (char === '#') {
        this.#skipToLineEnd()
      } else {
        return true
      }
    }
    return false
  }

  #readKey(): string {
    this.#skipExportPrefix()
    const start = this.#pos
    let char = codePointAt(this.#text, this.#pos)
    while (char !== '' && KEY_CHAR.test(char)) {
      this.#pos += char.length
      char = codePointAt(this.#text, this.#pos)
    }
    const key = this.#text.slice(start, this.#pos)
    const keyEnd = this.#pos
    this.#skipInlineSpace()

    const separator = this.#text[this.#pos]
    // godotenv also accepts the YAML-like `KEY: value`.
    if (separator !== '=' && separator !== ':') {
      this.#fail(this.#describeBadKeyEnd(key, keyEnd))
    }

    if (key === '') {
      this.#fail(`missing variable name before "${separator}"`)
    }

    this.#pos++
    this.#skipInlineSpace()
    return key
  }

  #describeBadKeyEnd(key: string, keyEnd: number): string {
    const found = this.#text[this.#pos]
    if (found === undefined || found === '\n') {
      return `missing "=" after variable name "${key}"`
    }

    // Name the character that ended the name, e.g. the space in `NOT OK=1`.
    const char = codePointAt(this.#text, keyEnd)
    return `unexpected character ${JSON.stringify(char)} in variable name`
  }

  #skipExportPrefix(): void {
    const afterWord = this.#pos + 'export'.length
    const next = this.#text[afterWord]
    if (this.#text.startsWith('export', this.#pos) && next !== undefined && isInline(next)) {
      this.#pos = afterWord
      this.#skipInlineSpace()
    }
  }

  #readValue(): string {
    const quote = this.#text[this.#pos]
    if (quote === '"' || quote === "'") {
      return this.#readQuoted(quote)
    }

    return this.#readUnquoted()
  }

  // The value ends at the line break or at a `#` that follows whitespace: `C=val#x` keeps `#x`.
  #readUnquoted(): string {
    const lineEnd = findLineEnd(this.#text, this.#pos)
    const line = this.#text.slice(this.#pos, lineEnd)
    this.#pos = lineEnd

    let end = line.length
    for (let index = 1; index < line.length; index++) {
      if (line[index] === '#' && isInline(line[index - 1] ?? '')) {
        end = index
        break
      }
    }
    return this.#expand(trimInline(line.slice(0, end)), { isDoubleQuoted: false })
  }

  #readQuoted(quote: '"' | "'"): string {
    const text = this.#text
    const start = this.#pos + 1
    let index = start
    // A backslash keeps the next character from closing the value; in single quotes the
    // backslash itself stays (godotenv behaviour), in double quotes #expand removes it.
    while (index < text.length && text[index] !== quote) {
      index += text[index] === '\\' ? 2 : 1
    }
    if (index >= text.length) {
      this.#fail('unterminated quoted value')
    }

    const raw = text.slice(start, index)
    this.#pos = index + 1
    this.#expectLineEndAfterQuote()
    return quote === "'" ? raw : this.#expand(raw, { isDoubleQuoted: true })
  }

  #expectLineEndAfterQuote(): void {
    this.#skipInlineSpace()
    const next = this.#text[this.#pos]
    if (next === '#') {
      this.#skipToLineEnd()
    } else if (next !== undefined && next !== '\n') {
      this.#fail('unexpected text after the closing quote')
    }
  }

  /** Escapes (double quotes only; `\$` everywhere) and `$VAR`/`${VAR}` in one pass. */
  #expand(raw: string, options: { isDoubleQuoted: boolean }): string {
    let out = ''
    let index = 0
    while (index < raw.length) {
      const char = raw[index] ?? ''
      const next = raw[index + 1]
      if (char === '\\' && next !== undefined && (options.isDoubleQuoted || next === '$')) {
        out += escapedChar(next)
        index += 2
      } else if (char === '$') {
        const variable = this.#readVariable(raw, index)
        out += variable.value
        index = variable.end
      } else {
        out += char
        index++
      }
    }
    return out
  }

  // `$` not followed by an expandable name stays literal, as in godotenv.
  #readVariable(raw: string, dollar: number): { value: string; end: number } {
    const isBraced = raw[dollar + 1] === '{'
    EXPANDABLE_NAME.lastIndex = dollar + (isBraced ? 2 : 1)
    const name = EXPANDABLE_NAME.exec(raw)?.[0]
    if (name === undefined) {
      return { value: '$', end: dollar + 1 }
    }

    let end = EXPANDABLE_NAME.lastIndex
    if (isBraced && raw[end] === '}') {
      end++
    }

    return { value: this.#vars.get(name) ?? this.#outer(name) ?? '', end }
  }

  #skipInlineSpace(): void {
    while (isInline(this.#text[this.#pos] ?? '')) {
      this.#pos++
    }
  }

  #skipToLineEnd(): void {
    const newline = this.#text.indexOf('\n', this.#pos)
    this.#pos = newline === -1 ? this.#text.length : newline
  }

  #fail(reason: string): never {
    throw new PrunnerError('ENV_FILE_INVALID', `line ${this.#statementLine}: ${reason}`)
  }
}

/** The whole character at `pos` (both halves of a surrogate pair), or "" at the end. */
function codePointAt(text: string, pos: number): string {
  const code = text.codePointAt(pos)
  return code === undefined ? '' : String.fromCodePoint(code)
}

function escapedChar(char: string): string {
  if (char === 'n') {
    return '\n'
  }

  return char === 'r' ? '\r' : char
}

function isInline(char: string): boolean {
  return INLINE_SPACE.has(char)
}

function trimInline(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isInline(text[start] ?? '')) {
    start++
  }
  while (end > start && isInline(text[end - 1] ?? '')) {
    end--
  }
  return text.slice(start, end)
}

// A lone CR ends an unquoted value too (CRLF was already folded to LF).
function findLineEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    if (text[index] === '\n' || text[index] === '\r') {
      return index
    }
  }
  return text.length
}

function lineOf(text: string, pos: number): number {
  let line = 1
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < pos;
    index = text.indexOf('\n', index + 1)
  ) {
    line++
  }
  return line
}
