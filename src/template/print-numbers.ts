// Number formatting of Go's fmt: integers in any base with flags, floats through strconv, and
// prunner's plain digits for integer-valued floats under %v.

import { type FloatFormat, formatFloat, formatIntegerFloat } from './float.ts'
import type { Printer } from './printer.ts'
import { isPrint, isValidRune, quoteRune } from './quote.ts'

const LOWER_DIGITS = '0123456789abcdefx'
const UPPER_DIGITS = '0123456789ABCDEFX'
const MAX_RUNE = 0x10ffffn

export function printFloat(p: Printer, v: number, verb: string): void {
  switch (verb) {
    case 'v':
      if (p.integerFloats && Number.isInteger(v) && !p.flags.precPresent) {
        writeNumber(p, formatIntegerFloat(v), verb, -1)
      } else {
        fmtFloatWith(p, v, 'g', -1)
      }
      return
    case 'g':
    case 'G':
      fmtFloatWith(p, v, verb, -1)
      return
    case 'e':
    case 'E':
    case 'f':
      fmtFloatWith(p, v, verb, 6)
      return
    case 'F':
      fmtFloatWith(p, v, 'f', 6)
      return
    default:
      // TODO: %b, %x and %X of floats (Go's binary and hexadecimal float forms) are not
      // implemented and print as bad verbs; a template passing data numbers to them is unlikely.
      p.badVerb(verb, v)
  }
}

function fmtFloatWith(p: Printer, v: number, format: FloatFormat, defaultPrecision: number): void {
  const precision = p.flags.precPresent ? p.flags.prec : defaultPrecision
  writeNumber(p, formatFloat(v, format, precision), format, precision)
}

// Go's fmt.fmtFloat after strconv: sign rules, the # flag and zero padding after the sign.
function writeNumber(p: Printer, text: string, verb: string, precision: number): void {
  let num = text[0] === '-' || text[0] === '+' ? text : `+${text}`
  const { space, plus, sharp, zero, widPresent, wid } = p.flags
  if (space && num[0] === '+' && !plus) {
    num = ` ${num.slice(1)}`
  }
  if (num[1] === 'I' || num[1] === 'N') {
    writeNonFinite(p, num)
    return
  }
  if (sharp && verb !== 'b') {
    num = applySharpFloat(num, verb, precision)
  }

  if (!plus && num[0] === '+') {
    p.padString(num.slice(1))
    return
  }
  if (zero && widPresent && wid > num.length) {
    // Zero padding goes between the sign and the digits.
    p.out += (num[0] ?? '') + '0'.repeat(wid - num.length) + num.slice(1)
    return
  }
  p.padString(num)
}

// Infinities and NaN are padded with spaces, never zeros; NaN drops a sign nobody asked for.
function writeNonFinite(p: Printer, num: string): void {
  const { space, plus } = p.flags
  const text = num[1] === 'N' && !space && !plus ? num.slice(1) : num
  withoutZero(p, () => p.padString(text))
}

export function printInteger(
  p: Printer,
  value: bigint,
  isSigned: boolean,
  verb: string,
  original: unknown,
): void {
  switch (verb) {
    case 'v':
      if (p.flags.sharpV && !isSigned) {
        withSharp(p, () => writeInteger(p, value, 16, verb, LOWER_DIGITS))
      } else {
        writeInteger(p, value, 10, verb, LOWER_DIGITS)
      }
      return
    case 'd':
      writeInteger(p, value, 10, verb, LOWER_DIGITS)
      return
    case 'b':
      writeInteger(p, value, 2, verb, LOWER_DIGITS)
      return
    case 'o':
    case 'O':
      writeInteger(p, value, 8, verb, LOWER_DIGITS)
      return
    case 'x':
      writeInteger(p, value, 16, verb, LOWER_DIGITS)
      return
    case 'X':
      writeInteger(p, value, 16, verb, UPPER_DIGITS)
      return
    default:
      fmtRune(p, value, verb, original)
  }
}

function withSharp(p: Printer, write: () => void): void {
  const sharp = p.flags.sharp
  p.flags.sharp = true
  write()
  p.flags.sharp = sharp
}

function fmtRune(p: Printer, value: bigint, verb: string, original: unknown): void {
  const u = BigInt.asUintN(64, value)
  const rune = u > MAX_RUNE ? 0xfffd : Number(u)
  switch (verb) {
    case 'c':
      p.padString(String.fromCodePoint(isValidRune(rune) ? rune : 0xfffd))
      return
    case 'q':
      p.padString(quoteRune(rune, p.flags.plus))
      return
    case 'U':
      fmtUnicode(p, u)
      return
    default:
      p.badVerb(verb, original)
  }
}

// Go's fmtUnicode: U+0041, and with # also the quoted rune when printable.
function fmtUnicode(p: Printer, u: bigint): void {
  const precision = p.flags.precPresent && p.flags.prec > 4 ? p.flags.prec : 4
  let text = `U+${u.toString(16).toUpperCase().padStart(precision, '0')}`
  if (p.flags.sharp && u <= MAX_RUNE && isPrint(Number(u))) {
    text += ` '${String.fromCodePoint(Number(u))}'`
  }
  withoutZero(p, () => p.padString(text))
}

function withoutZero(p: Printer, write: () => void): void {
  const zero = p.flags.zero
  p.flags.zero = false
  write()
  p.flags.zero = zero
}

// Go's fmt.fmtInteger: precision or zero padding as leading zeros, then prefix and sign.
function writeInteger(p: Printer, value: bigint, base: number, verb: string, digits: string): void {
  const { precPresent, prec, zero, widPresent, wid, plus, space, sharp } = p.flags
  const negative = value < 0n
  const u = negative ? -value : value
  if (precPresent && prec === 0 && u === 0n) {
    withoutZero(p, () => {
      p.out += p.padding(wid)
    })
    return
  }

  let minDigits = precPresent ? prec : 0
  if (!precPresent && zero && widPresent) {
    minDigits = negative || plus || space ? wid - 1 : wid
  }
  let text = u.toString(base)
  text = (digits === UPPER_DIGITS ? text.toUpperCase() : text).padStart(minDigits, '0')
  text = integerPrefix(text, base, sharp, verb, digits) + text
  const sign = negative ? '-' : plus ? '+' : space ? ' ' : ''
  withoutZero(p, () => p.padString(sign + text))
}

function integerPrefix(
  text: string,
  base: number,
  sharp: boolean,
  verb: string,
  digits: string,
): string {
  let prefix = ''
  if (sharp && base === 2) {
    prefix = '0b'
  } else if (sharp && base === 8 && text[0] !== '0') {
    prefix = '0'
  } else if (sharp && base === 16) {
    prefix = `0${digits[16]}`
  }
  return verb === 'O' ? `0o${prefix}` : prefix
}

// Go's # flag for floats: always a decimal point, and %g keeps its trailing zeros.
function applySharpFloat(num: string, verb: string, precision: number): string {
  let digits = 0
  if (verb === 'v' || verb === 'g' || verb === 'G') {
    digits = precision === -1 ? 6 : precision
  }

  const exponentAt = num.search(/[eE]/)
  let body = exponentAt < 0 ? num : num.slice(0, exponentAt)
  const tail = exponentAt < 0 ? '' : num.slice(exponentAt)
  let sawNonzero = false
  for (let i = 1; i < body.length; i++) {
    const c = body[i]
    if (c === '.') {
      continue
    }
    if (c !== '0') {
      sawNonzero = true
    }
    if (sawNonzero) {
      digits--
    }
  }
  if (!body.includes('.')) {
    if (body.length === 2 && body[1] === '0') {
      digits--
    }
    body += '.'
  }
  return body + '0'.repeat(Math.max(digits, 0)) + tail
}
