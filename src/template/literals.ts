// Go literal syntax for template constants: strconv.Unquote / UnquoteChar and the number parsing
// of text/template/parse (ParseInt, ParseUint, ParseFloat with base prefixes and underscores).

import { isValidRune } from './quote.ts'
import { fromBytes, toBytes } from './text.ts'

/** strconv's error text for any malformed quoted literal. */
export const INVALID_SYNTAX = 'invalid syntax'

/** Go's strconv.Unquote for a "..." or `...` token; throws INVALID_SYNTAX as a string reason. */
export function unquoteString(quoted: string): string {
  const inner = quoted.slice(1, -1)
  if (quoted[0] === '`') {
    // Go drops carriage returns from raw strings.
    return inner.includes('\r') ? inner.replaceAll('\r', '') : inner
  }
  if (!inner.includes('\\')) {
    return inner
  }

  const bytes: number[] = []
  let at = 0
  while (at < inner.length) {
    const { value, multibyte, next } = unquoteChar(inner, at, 0x22)
    if (value < 0x80 || !multibyte) {
      bytes.push(value)
    } else {
      bytes.push(...toBytes(String.fromCodePoint(value)))
    }
    at = next
  }
  return fromBytes(Uint8Array.from(bytes))
}

/** The code point of a '...' character constant token. */
export function unquoteCharConstant(quoted: string): number {
  const { value, next } = unquoteChar(quoted, 1, 0x27)
  if (quoted.slice(next) !== "'") {
    throw new LiteralError(`malformed character constant: ${quoted}`)
  }
  return value
}

/** A literal that Go rejects; the message is Go's. */
export class LiteralError extends Error {}

interface UnquotedChar {
  value: number
  multibyte: boolean
  next: number
}

const SIMPLE: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
}

// Go's strconv.UnquoteChar, reading from s at `at`.
function unquoteChar(s: string, at: number, quote: number): UnquotedChar {
  const c = s.codePointAt(at)
  if (c === undefined || c === quote) {
    throw new LiteralError(INVALID_SYNTAX)
  }
  if (c !== 0x5c) {
    return { value: c, multibyte: c >= 0x80, next: at + (c > 0xffff ? 2 : 1) }
  }

  const e = s[at + 1]
  if (e === undefined) {
    throw new LiteralError(INVALID_SYNTAX)
  }
  const simple = SIMPLE[e]
  if (simple !== undefined) {
    return { value: simple, multibyte: false, next: at + 2 }
  }
  if (e === "'" || e === '"') {
    if (e.charCodeAt(0) !== quote) {
      throw new LiteralError(INVALID_SYNTAX)
    }
    return { value: e.charCodeAt(0), multibyte: false, next: at + 2 }
  }
  return unquoteNumericEscape(s, at + 2, e)
}

const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }

function unquoteNumericEscape(s: string, at: number, e: string): UnquotedChar {
  const hexLength = HEX_ESCAPE_LENGTH[e]
  if (hexLength !== undefined) {
    const digits = s.slice(at, at + hexLength)
    if (digits.length < hexLength || !/^[0-9a-fA-F]+$/.test(digits)) {
      throw new LiteralError(INVALID_SYNTAX)
    }
    const value = Number.parseInt(digits, 16)
    if (e !== 'x' && !isValidRune(value)) {
      throw new LiteralError(INVALID_SYNTAX)
    }
    // \x is a single byte, possibly not UTF-8; \u and \U are code points.
    return { value, multibyte: e !== 'x', next: at + hexLength }
  }

  const octal = e + s.slice(at, at + 2)
  if (!/^[0-7]{3}$/.test(octal) || Number.parseInt(octal, 8) > 255) {
    throw new LiteralError(INVALID_SYNTAX)
  }
  return { value: Number.parseInt(octal, 8), multibyte: false, next: at + 2 }
}

/** The interpretations of a number token, as Go's parse.newNumber computes them. */
export interface ParsedNumber {
  isInt: boolean
  isUint: boolean
  isFloat: boolean
  int64: bigint
  float64: number
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** Parses a number token; throws LiteralError with Go's message. */
export function parseNumberText(text: string): ParsedNumber {
  if (text.endsWith('i')) {
    // Go would make a complex constant; JSON data has no use for one.
    throw new LiteralError(`complex constants are not supported: ${JSON.stringify(text)}`)
  }

  const asUint = parseGoInteger(text, false)
  const asInt = parseGoInteger(text, true)
  const isUint = asUint !== null && asUint <= UINT64_MAX
  const isInt = asInt !== null && asInt >= INT64_MIN && asInt <= INT64_MAX
  if (isInt || isUint) {
    const int64 = isInt ? (asInt ?? 0n) : 0n
    const float64 = Number(isInt ? int64 : (asUint ?? 0n))
    return { isInt, isUint: isUint || (isInt && int64 === 0n), isFloat: true, int64, float64 }
  }
  return parseFloatNumber(text)
}

function parseFloatNumber(text: string): ParsedNumber {
  const f = parseGoFloat(text)
  if (f === null) {
    throw new LiteralError(`illegal number syntax: ${goQuoteAscii(text)}`)
  }
  if (!/[.eEpP]/.test(text)) {
    // It parsed as a float but looks like an integer: too large for int64 and uint64.
    throw new LiteralError(`integer overflow: ${goQuoteAscii(text)}`)
  }

  const isInt = Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63
  const isUint = Number.isInteger(f) && f >= 0 && f < 2 ** 64
  return { isInt, isUint, isFloat: true, int64: isInt ? BigInt(f) : 0n, float64: f }
}

// Go's ParseInt/ParseUint with base 0: optional sign (ParseInt only), 0x/0o/0b/0 prefixes, and
// underscores between digits. Returns null when the syntax is not an integer.
function parseGoInteger(text: string, signed: boolean): bigint | null {
  let s = text
  let negative = false
  if (signed && (s[0] === '+' || s[0] === '-')) {
    negative = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '' || !underscoreOk(s)) {
    return null
  }

  const { base, digits } = splitBasePrefix(s.replaceAll('_', ''))
  if (digits === '' || !INTEGER_DIGITS[base]?.test(digits)) {
    return null
  }
  const magnitude = parseBigInt(digits, base)
  return negative ? -magnitude : magnitude
}

const INTEGER_DIGITS: Readonly<Record<number, RegExp>> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
}

function splitBasePrefix(s: string): { base: number; digits: string } {
  const prefix = s.slice(0, 2).toLowerCase()
  if (prefix === '0x') {
    return { base: 16, digits: s.slice(2) }
  }
  if (prefix === '0o') {
    return { base: 8, digits: s.slice(2) }
  }
  if (prefix === '0b') {
    return { base: 2, digits: s.slice(2) }
  }
  if (s.length > 1 && s[0] === '0') {
    return { base: 8, digits: s.slice(1) }
  }
  return { base: 10, digits: s }
}

function parseBigInt(digits: string, base: number): bigint {
  if (base === 10) {
    return BigInt(digits)
  }
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : '0b'
  return BigInt(prefix + digits)
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/

// Go's ParseFloat: decimal or hexadecimal (with a p exponent); out of range is an error.
function parseGoFloat(text: string): number | null {
  if (!underscoreOk(text)) {
    return null
  }
  const s = text.replaceAll('_', '')
  let f: number | null = null
  if (DECIMAL_FLOAT.test(s)) {
    f = Number(s)
  } else {
    f = parseHexFloat(s)
  }
  return f !== null && Number.isFinite(f) ? f : null
}

function parseHexFloat(s: string): number | null {
  const m = HEX_FLOAT.exec(s)
  if (m === null) {
    return null
  }
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m
  if (whole === '' && fraction === '') {
    return null
  }
  // Above 2^53 this rounds twice; hexadecimal float constants that long are not worth exactness.
  const mantissa = Number(BigInt(`0x${whole}${fraction}`))
  const value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length)
  return sign === '-' ? -value : value
}

// Go's underscoreOK: underscores only between digits, or between a base prefix and a digit.
function underscoreOk(text: string): boolean {
  let s = text
  if (s[0] === '+' || s[0] === '-') {
    s = s.slice(1)
  }
  let saw = '^'
  let i = 0
  let hex = false
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1] ?? '')) {
    i = 2
    saw = '0'
    hex = s[1] === 'x' || s[1] === 'X'
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? ''
    if ((c >= '0' && c <= '9') || (hex && isHexLetter(c))) {
      saw = '0'
    } else if (c === '_') {
      if (saw !== '0') {
        return false
      }
      saw = '_'
    } else if (saw === '_') {
      return false
    } else {
      saw = '!'
    }
  }
  return saw !== '_'
}

// Number tokens are ASCII, so JSON quoting matches Go's %q here.
function goQuoteAscii(text: string): string {
  return JSON.stringify(text)
}

function isHexLetter(c: string): boolean {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
