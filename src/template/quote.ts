// Go's strconv quoting (Quote, QuoteToASCII, QuoteRune, CanBackquote), used by %q and in messages.

import { isHighSurrogate, isLowSurrogate } from './text.ts'

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u
const RUNE_ERROR = 0xfffd
const MAX_RUNE = 0x10ffff

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) {
    return r >= 0x20 && r <= 0x7e
  }
  if (!isValidRune(r)) {
    return false
  }
  return PRINTABLE.test(String.fromCodePoint(r))
}

/** Go's strconv.Quote, or QuoteToASCII when `asciiOnly`. */
export function quoteGo(s: string, asciiOnly = false): string {
  let out = '"'
  for (const r of codePoints(s)) {
    out += escapeRune(r, 0x22, asciiOnly)
  }
  return `${out}"`
}

/** Go's strconv.QuoteRune, or QuoteRuneToASCII when `asciiOnly`. */
export function quoteRune(r: number, asciiOnly = false): string {
  const rune = isValidRune(r) ? r : RUNE_ERROR
  return `'${escapeRune(rune, 0x27, asciiOnly)}'`
}

/** Go's strconv.CanBackquote: a single-line string without backquotes or control characters. */
export function canBackquote(s: string): boolean {
  for (const r of codePoints(s)) {
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f || r === 0xfeff) {
      return false
    }
  }
  return true
}

export function isValidRune(r: number): boolean {
  return r >= 0 && r <= MAX_RUNE && (r < 0xd800 || r > 0xdfff)
}

/** Code points of `s`; a lone surrogate (invalid in UTF-8) counts as U+FFFD. */
export function* codePoints(s: string): Generator<number> {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (isHighSurrogate(c) && isLowSurrogate(s.charCodeAt(i + 1))) {
      yield ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000
      i++
    } else if (isHighSurrogate(c) || isLowSurrogate(c)) {
      yield RUNE_ERROR
    } else {
      yield c
    }
  }
}

const SIMPLE_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
])

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) {
    return `\\${String.fromCharCode(r)}`
  }
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) {
    return String.fromCodePoint(r)
  }

  const simple = SIMPLE_ESCAPES.get(r)
  if (simple !== undefined) {
    return simple
  }
  if (r < 0x20 || r === 0x7f) {
    return `\\x${hex(r, 2)}`
  }
  const rune = isValidRune(r) ? r : RUNE_ERROR
  return rune < 0x10000 ? `\\u${hex(rune, 4)}` : `\\U${hex(rune, 8)}`
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}
