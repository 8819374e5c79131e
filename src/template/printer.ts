// The value formatting half of Go's fmt (the pp and fmt types) for the values a template can hold.
// format.ts drives it for Sprint, Sprintln and Sprintf.

import { printFloat, printInteger } from './print-numbers.ts'
import { canBackquote, quoteGo } from './quote.ts'
import { runeCount, toBytes, truncateRunes } from './text.ts'
import { type GoInt, type GoMap, kindOf, sortedKeys, typeName } from './values.ts'

export interface Flags {
  plus: boolean
  minus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  plusV: boolean
  sharpV: boolean
  widPresent: boolean
  precPresent: boolean
  wid: number
  prec: number
}

export function clearFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    widPresent: false,
    precPresent: false,
    wid: 0,
    prec: 0,
  }
}

const LOWER_DIGITS = '0123456789abcdefx'
const UPPER_DIGITS = '0123456789ABCDEFX'

/**
 * Accumulates formatted output. `integerFloats` applies prunner's rule that %v prints an
 * integer-valued float64 in plain digits; error messages turn it off to read exactly like Go's.
 */
export class Printer {
  out = ''
  flags: Flags = clearFlags()

  constructor(readonly integerFloats: boolean) {}

  /** Go's pp.printArg: one top-level operand, null being a nil interface. */
  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') {
        this.padString('<nil>')
      } else {
        this.badVerb(verb, null)
      }
      return
    }
    if (verb === 'T') {
      this.fmtS(typeName(arg))
      return
    }
    if (verb === 'p') {
      // TODO: Go prints the address of a map or slice for %p; there is none to print here.
      this.badVerb(verb, arg)
      return
    }
    this.printValue(arg, verb, 0)
  }

  /** Go's pp.printValue for a non-nil value at nesting `depth`. */
  printValue(value: unknown, verb: string, depth: number): void {
    switch (kindOf(value)) {
      case 'bool':
        this.fmtBool(value as boolean, verb)
        return
      case 'float64':
        printFloat(this, value as number, verb)
        return
      case 'int':
        printInteger(this, (value as GoInt).value, true, verb, value)
        return
      case 'uint8':
        printInteger(this, (value as GoInt).value, false, verb, value)
        return
      case 'string':
        this.fmtString(value as string, verb)
        return
      case 'slice':
        this.printSlice(value as unknown[], verb, depth)
        return
      case 'map':
        this.printMap(value as GoMap, verb, depth)
        return
      default:
        this.badVerb(verb, value)
    }
  }

  /** Go's pp.badVerb: %!verb(type=value). */
  badVerb(verb: string, value: unknown): void {
    this.out += `%!${verb}(`
    if (value === null || value === undefined) {
      this.out += '<nil>'
    } else {
      this.out += `${typeName(value)}=`
      this.printArg(value, 'v')
    }
    this.out += ')'
  }

  /** Pads `s` to the width, counting runes, on the side the flags ask for. */
  padString(s: string): void {
    const { widPresent, wid, minus } = this.flags
    if (!widPresent || wid === 0) {
      this.out += s
      return
    }
    const padding = this.padding(wid - runeCount(s))
    this.out += minus ? s + padding : padding + s
  }

  padding(n: number): string {
    return n > 0 ? (this.flags.zero ? '0' : ' ').repeat(n) : ''
  }

  // Elements of []interface{} and map values are interfaces: nil prints as <nil> at any verb.
  private printElement(element: unknown, verb: string, depth: number): void {
    if (element === null || element === undefined) {
      this.padString(this.flags.sharpV ? 'interface {}(nil)' : '<nil>')
      return
    }
    this.printValue(element, verb, depth + 1)
  }

  private printSlice(list: unknown[], verb: string, depth: number): void {
    const sharpV = this.flags.sharpV
    this.out += sharpV ? '[]interface {}{' : '['
    list.forEach((element, i) => {
      if (i > 0) {
        this.out += sharpV ? ', ' : ' '
      }
      this.printElement(element, verb, depth)
    })
    this.out += sharpV ? '}' : ']'
  }

  private printMap(map: GoMap, verb: string, depth: number): void {
    const sharpV = this.flags.sharpV
    this.out += sharpV ? 'map[string]interface {}{' : 'map['
    sortedKeys(map).forEach((key, i) => {
      if (i > 0) {
        this.out += sharpV ? ', ' : ' '
      }
      this.printValue(key, verb, depth + 1)
      this.out += ':'
      this.printElement(map[key], verb, depth)
    })
    this.out += sharpV ? '}' : ']'
  }

  private fmtBool(b: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') {
      this.padString(b ? 'true' : 'false')
    } else {
      this.badVerb(verb, b)
    }
  }

  private fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.flags.sharpV) {
          this.fmtQ(s)
        } else {
          this.fmtS(s)
        }
        return
      case 's':
        this.fmtS(s)
        return
      case 'x':
        this.fmtSx(s, LOWER_DIGITS)
        return
      case 'X':
        this.fmtSx(s, UPPER_DIGITS)
        return
      case 'q':
        this.fmtQ(s)
        return
      default:
        this.badVerb(verb, s)
    }
  }

  private fmtS(s: string): void {
    this.padString(this.truncate(s))
  }

  private truncate(s: string): string {
    return this.flags.precPresent ? truncateRunes(s, this.flags.prec) : s
  }

  private fmtQ(s: string): void {
    const text = this.truncate(s)
    if (this.flags.sharp && canBackquote(text)) {
      this.padString(`\`${text}\``)
      return
    }
    this.padString(quoteGo(text, this.flags.plus))
  }

  // Go's fmtSbx: two hex digits per byte, optionally 0x-prefixed and space-separated.
  private fmtSx(s: string, digits: string): void {
    const { sharp, space, precPresent, prec, widPresent, wid, minus } = this.flags
    const bytes = toBytes(s)
    const length = precPresent && prec < bytes.length ? prec : bytes.length
    if (length === 0) {
      this.out += widPresent ? this.padding(wid) : ''
      return
    }

    const prefix = `0${digits[16]}`
    let encoded = sharp ? prefix : ''
    for (let i = 0; i < length; i++) {
      if (space && i > 0) {
        encoded += sharp ? ` ${prefix}` : ' '
      }
      const b = bytes[i] ?? 0
      encoded += (digits[b >> 4] ?? '') + (digits[b & 0xf] ?? '')
    }
    const padding = widPresent ? this.padding(wid - encoded.length) : ''
    this.out += minus ? encoded + padding : padding + encoded
  }
}
