// Tokenizer for Go text/template with the default delimiters, following Go's state machine so that
// the same input yields the same tokens, token lines and error texts.

import type { Item, ItemType } from './items.ts'
import { KEYWORDS } from './items.ts'
import { quoteGo } from './quote.ts'
import {
  EOF,
  formatRune,
  hasLeftTrimMarker,
  hasRightTrimMarker,
  isAlphaNumeric,
  isDigit,
  isSpace,
  LEFT_COMMENT,
  LEFT_DELIM,
  Lexer,
  leftTrimLength,
  RIGHT_COMMENT,
  RIGHT_DELIM,
  rightTrimLength,
  TRIM_MARKER_LEN,
} from './scanner.ts'

export { describeItem, type Item, type ItemType } from './items.ts'

/** Tokens of `input`, ending with an `eof` or `error` item. */
export function lex(input: string): Item[] {
  const lexer = new Lexer(input)
  let state: StateFn | null = lexText
  while (state !== null) {
    state = state(lexer)
  }
  return lexer.items
}

type StateFn = (l: Lexer) => StateFn | null

function lexText(l: Lexer): StateFn | null {
  l.width = 0
  const x = l.input.indexOf(LEFT_DELIM, l.pos)
  if (x < 0) {
    l.pos = l.input.length
    if (l.pos > l.start) {
      l.emit('text')
    }
    l.emit('eof')
    return null
  }

  l.pos = x
  const trimLength = hasLeftTrimMarker(l.input, x + LEFT_DELIM.length)
    ? rightTrimLength(l.input, l.start, x)
    : 0
  l.pos -= trimLength
  if (l.pos > l.start) {
    l.emit('text')
  }
  l.pos += trimLength
  l.ignore()
  return lexLeftDelim
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += LEFT_DELIM.length
  const afterMarker = hasLeftTrimMarker(l.input, l.pos) ? TRIM_MARKER_LEN : 0
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker
    l.ignore()
    return lexComment
  }

  l.emit('leftDelim')
  l.pos += afterMarker
  l.ignore()
  l.parenDepth = 0
  return lexInsideAction
}

function lexComment(l: Lexer): StateFn | null {
  l.pos += LEFT_COMMENT.length
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos)
  if (x < 0) {
    return l.errorf('unclosed comment')
  }

  l.pos = x + RIGHT_COMMENT.length
  const { isDelim, trims } = l.atRightDelim()
  if (!isDelim) {
    return l.errorf('comment ends before closing delimiter')
  }

  l.pos += (trims ? TRIM_MARKER_LEN : 0) + RIGHT_DELIM.length
  if (trims) {
    l.pos += leftTrimLength(l.input, l.pos)
  }
  l.ignore()
  return lexText
}

function lexRightDelim(l: Lexer): StateFn {
  const trims = hasRightTrimMarker(l.input, l.pos)
  if (trims) {
    l.pos += TRIM_MARKER_LEN
    l.ignore()
  }
  l.pos += RIGHT_DELIM.length
  l.emit('rightDelim')
  if (trims) {
    l.pos += leftTrimLength(l.input, l.pos)
    l.ignore()
  }
  return lexText
}

function lexInsideAction(l: Lexer): StateFn | null {
  const { isDelim } = l.atRightDelim()
  if (isDelim) {
    return l.parenDepth === 0 ? lexRightDelim : l.errorf('unclosed left paren')
  }

  const r = l.next()
  if (r === EOF) {
    return l.errorf('unclosed action')
  }
  if (isSpace(r)) {
    // The space goes back so that lexSpace can see a " -}}" trim marker.
    l.backup()
    return lexSpace
  }
  return lexActionRune(l, r)
}

function lexActionRune(l: Lexer, r: number): StateFn | null {
  switch (String.fromCodePoint(r)) {
    case '=':
      l.emit('assign')
      return lexInsideAction
    case ':':
      if (l.next() !== 0x3d) {
        return l.errorf('expected :=')
      }
      l.emit('declare')
      return lexInsideAction
    case '|':
      l.emit('pipe')
      return lexInsideAction
    case '"':
      return lexQuote
    case '`':
      return lexRawQuote
    case '$':
      return lexVariable
    case "'":
      return lexChar
    case '(':
      l.emit('leftParen')
      l.parenDepth++
      return lexInsideAction
    case ')':
      l.emit('rightParen')
      l.parenDepth--
      return l.parenDepth < 0
        ? l.errorf(`unexpected right paren ${formatRune(r)}`)
        : lexInsideAction
    default:
      return lexOperandRune(l, r)
  }
}

function lexOperandRune(l: Lexer, r: number): StateFn | null {
  if (r === 0x2e && l.pos < l.input.length && !isDigit(l.input.charCodeAt(l.pos))) {
    // ".field" or "."; a digit after the dot makes a number such as ".5".
    return lexField
  }
  if (r === 0x2e || r === 0x2b || r === 0x2d || isDigit(r)) {
    l.backup()
    return lexNumber
  }
  if (isAlphaNumeric(r)) {
    l.backup()
    return lexIdentifier
  }
  if (r >= 0x20 && r <= 0x7e) {
    l.emit('char')
    return lexInsideAction
  }
  return l.errorf(`unrecognized character in action: ${formatRune(r)}`)
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0
  while (isSpace(l.peek())) {
    l.next()
    numSpaces++
  }

  // A space followed by "-}}" is a trim marker, not a separator.
  if (
    hasRightTrimMarker(l.input, l.pos - 1) &&
    l.input.startsWith(RIGHT_DELIM, l.pos - 1 + TRIM_MARKER_LEN)
  ) {
    l.backup()
    if (numSpaces === 1) {
      return lexRightDelim
    }
  }
  l.emit('space')
  return lexInsideAction
}

function lexIdentifier(l: Lexer): StateFn | null {
  let r = l.next()
  while (isAlphaNumeric(r)) {
    r = l.next()
  }
  l.backup()

  const word = l.input.slice(l.start, l.pos)
  if (!l.atTerminator()) {
    return l.errorf(`bad character ${formatRune(r)}`)
  }
  const keyword = KEYWORDS.get(word)
  if (keyword !== undefined && keyword !== 'dot') {
    l.emit(keyword)
  } else if (word === 'true' || word === 'false') {
    l.emit('bool')
  } else {
    l.emit('identifier')
  }
  return lexInsideAction
}

function lexVariable(l: Lexer): StateFn | null {
  if (l.atTerminator()) {
    // A lone "$".
    l.emit('variable')
    return lexInsideAction
  }
  return lexFieldOrVariable(l, 'variable')
}

function lexField(l: Lexer): StateFn | null {
  return lexFieldOrVariable(l, 'field')
}

function lexFieldOrVariable(l: Lexer, type: 'field' | 'variable'): StateFn | null {
  if (l.atTerminator()) {
    l.emit(type === 'variable' ? 'variable' : 'dot')
    return lexInsideAction
  }

  let r = l.next()
  while (isAlphaNumeric(r)) {
    r = l.next()
  }
  l.backup()
  if (!l.atTerminator()) {
    return l.errorf(`bad character ${formatRune(r)}`)
  }
  l.emit(type)
  return lexInsideAction
}

function lexChar(l: Lexer): StateFn | null {
  return lexQuoted(l, 0x27, 'charConstant', 'unterminated character constant')
}

function lexQuote(l: Lexer): StateFn | null {
  return lexQuoted(l, 0x22, 'string', 'unterminated quoted string')
}

function lexQuoted(l: Lexer, quote: number, type: ItemType, unterminated: string): StateFn | null {
  for (;;) {
    let r = l.next()
    if (r === 0x5c) {
      r = l.next()
      if (r !== EOF && r !== 0x0a) {
        continue
      }
    }
    if (r === EOF || r === 0x0a) {
      return l.errorf(unterminated)
    }
    if (r === quote) {
      break
    }
  }
  l.emit(type)
  return lexInsideAction
}

function lexRawQuote(l: Lexer): StateFn | null {
  const end = l.input.indexOf('`', l.pos)
  if (end < 0) {
    l.pos = l.input.length
    return l.errorf('unterminated raw quoted string')
  }
  l.pos = end + 1
  l.emit('rawString')
  return lexInsideAction
}

function lexNumber(l: Lexer): StateFn | null {
  if (!scanNumber(l)) {
    return l.errorf(`bad number syntax: ${quoteGo(l.input.slice(l.start, l.pos))}`)
  }

  const sign = l.peek()
  if (sign !== 0x2b && sign !== 0x2d) {
    l.emit('number')
    return lexInsideAction
  }
  // A complex constant such as 1+2i: no spaces, and it must end in 'i'.
  if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
    return l.errorf(`bad number syntax: ${quoteGo(l.input.slice(l.start, l.pos))}`)
  }
  l.emit('complex')
  return lexInsideAction
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-')
  let digits = '0123456789_'
  if (l.accept('0')) {
    // A leading 0 does not mean octal in floats.
    if (l.accept('xX')) {
      digits = '0123456789abcdefABCDEF_'
    } else if (l.accept('oO')) {
      digits = '01234567_'
    } else if (l.accept('bB')) {
      digits = '01_'
    }
  }
  l.acceptRun(digits)
  if (l.accept('.')) {
    l.acceptRun(digits)
  }
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-')
    l.acceptRun('0123456789_')
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-')
    l.acceptRun('0123456789_')
  }
  l.accept('i')

  // The next thing must not be alphanumeric.
  if (isAlphaNumeric(l.peek())) {
    l.next()
    return false
  }
  return true
}
