// Go's fmt.Sprint, Sprintln and Sprintf over template values (null is a nil interface).

import { clearFlags, Printer } from './printer.ts'
import { kindOf, typeName } from './values.ts'

export interface FormatOptions {
  /** Print integer-valued floats as Go does (1e+06) instead of in plain digits; for error texts. */
  goFloats?: boolean
}

/** Go's fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: readonly unknown[], options: FormatOptions = {}): string {
  const p = new Printer(options.goFloats !== true)
  let previousIsString = false
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string'
    if (i > 0 && !isString && !previousIsString) {
      p.out += ' '
    }
    p.printArg(arg, 'v')
    previousIsString = isString
  })
  return p.out
}

/** Go's fmt.Sprintln: operands always separated by spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer(true)
  args.forEach((arg, i) => {
    if (i > 0) {
      p.out += ' '
    }
    p.printArg(arg, 'v')
  })
  return `${p.out}\n`
}

/** Go's fmt.Sprintf, including its %!verb(...) texts for bad verbs and argument mismatches. */
export function sprintf(
  format: string,
  args: readonly unknown[],
  options: FormatOptions = {},
): string {
  const run = new FormatRun(format, args, new Printer(options.goFloats !== true))
  run.execute()
  return run.p.out
}

const TOO_LARGE = 1e6

// One Sprintf call: Go's doPrintf state (argument cursor, reordering, current verb position).
class FormatRun {
  i = 0
  argNum = 0
  reordered = false
  goodArgNum = true
  afterIndex = false

  constructor(
    readonly format: string,
    readonly args: readonly unknown[],
    readonly p: Printer,
  ) {}

  execute(): void {
    const end = this.format.length
    while (this.i < end) {
      const percent = this.format.indexOf('%', this.i)
      const textEnd = percent < 0 ? end : percent
      this.p.out += this.format.slice(this.i, textEnd)
      if (textEnd >= end) {
        break
      }
      this.i = textEnd + 1
      if (!this.processVerb()) {
        break
      }
    }
    this.writeExtraArguments()
  }

  // Handles one directive after its '%'; false when the format ended without a verb.
  private processVerb(): boolean {
    this.goodArgNum = true
    this.p.flags = clearFlags()
    this.afterIndex = false
    if (this.parseFlagsOrSimpleVerb()) {
      return true
    }

    this.parseArgIndex()
    this.parseWidth()
    this.parsePrecision()
    if (!this.afterIndex) {
      this.parseArgIndex()
    }
    if (this.i >= this.format.length) {
      this.p.out += '%!(NOVERB)'
      return false
    }

    const verb = String.fromCodePoint(this.format.codePointAt(this.i) ?? 0)
    this.i += verb.length
    this.printVerb(verb)
    return true
  }

  // Reads flags; prints a plain lower-case verb at once (Go's fast path) and reports it.
  private parseFlagsOrSimpleVerb(): boolean {
    const flags = this.p.flags
    for (; this.i < this.format.length; this.i++) {
      const c = this.format[this.i] ?? ''
      if (c === '#') {
        flags.sharp = true
      } else if (c === '0') {
        flags.zero = !flags.minus
      } else if (c === '+') {
        flags.plus = true
      } else if (c === '-') {
        flags.minus = true
        flags.zero = false
      } else if (c === ' ') {
        flags.space = true
      } else if (c >= 'a' && c <= 'z' && this.argNum < this.args.length) {
        this.printArgument(c)
        this.i++
        return true
      } else {
        return false
      }
    }
    return false
  }

  private printVerb(verb: string): void {
    if (verb === '%') {
      // A literal percent takes no operand and ignores width and precision.
      this.p.out += '%'
    } else if (!this.goodArgNum) {
      this.p.out += `%!${verb}(BADINDEX)`
    } else if (this.argNum >= this.args.length) {
      this.p.out += `%!${verb}(MISSING)`
    } else {
      this.printArgument(verb)
    }
  }

  private printArgument(verb: string): void {
    const flags = this.p.flags
    if (verb === 'v') {
      // %#v is Go syntax and %+v adds field names; neither keeps its plain meaning.
      flags.sharpV = flags.sharp
      flags.sharp = false
      flags.plusV = flags.plus
      flags.plus = false
    }
    this.p.printArg(this.args[this.argNum], verb)
    this.argNum++
  }

  private parseWidth(): void {
    const flags = this.p.flags
    if (this.format[this.i] === '*') {
      this.i++
      const { num, isInt } = this.intFromArg()
      flags.wid = num
      flags.widPresent = isInt
      if (!isInt) {
        this.p.out += '%!(BADWIDTH)'
      }
      if (flags.wid < 0) {
        flags.wid = -flags.wid
        flags.minus = true
        flags.zero = false
      }
      this.afterIndex = false
      return
    }

    const { num, isNum } = this.parseNumber()
    flags.wid = num
    flags.widPresent = isNum
    if (this.afterIndex && isNum) {
      // "%[3]2d" puts the width after the index, which Go rejects.
      this.goodArgNum = false
    }
  }

  private parsePrecision(): void {
    if (!(this.i + 1 < this.format.length && this.format[this.i] === '.')) {
      return
    }
    this.i++
    if (this.afterIndex) {
      this.goodArgNum = false
    }
    this.parseArgIndex()

    const flags = this.p.flags
    if (this.format[this.i] === '*') {
      this.i++
      const { num, isInt } = this.intFromArg()
      flags.prec = Math.max(num, 0)
      flags.precPresent = isInt && num >= 0
      if (!flags.precPresent) {
        this.p.out += '%!(BADPREC)'
      }
      this.afterIndex = false
      return
    }
    const { num, isNum } = this.parseNumber()
    flags.prec = isNum ? num : 0
    flags.precPresent = true
  }

  // Go's argNumber: an explicit [n] operand index, 1-based.
  private parseArgIndex(): void {
    if (this.format[this.i] !== '[') {
      this.afterIndex = false
      return
    }
    this.reordered = true
    const close = this.format.indexOf(']', this.i + 1)
    if (close < 0 || this.format.length - this.i < 3) {
      this.goodArgNum = false
      this.i += 1
      this.afterIndex = false
      return
    }

    const text = this.format.slice(this.i + 1, close)
    const index = /^[0-9]+$/.test(text) && text.length < 8 ? Number(text) - 1 : -1
    this.i = close + 1
    if (index >= 0 && index < this.args.length) {
      this.argNum = index
      this.afterIndex = true
      return
    }
    this.goodArgNum = false
    this.afterIndex = index >= -1 && /^[0-9]+$/.test(text)
  }

  private parseNumber(): { num: number; isNum: boolean } {
    let num = 0
    let isNum = false
    while (this.i < this.format.length) {
      const c = this.format.charCodeAt(this.i)
      if (c < 0x30 || c > 0x39) {
        break
      }
      if (num > TOO_LARGE) {
        // An absurd width or precision: Go gives up on the rest of the format.
        this.i = this.format.length
        return { num: 0, isNum: false }
      }
      num = num * 10 + (c - 0x30)
      isNum = true
      this.i++
    }
    return { num, isNum }
  }

  // Go's intFromArg: a '*' width or precision must be an int operand.
  private intFromArg(): { num: number; isInt: boolean } {
    if (this.argNum >= this.args.length) {
      return { num: 0, isInt: false }
    }
    const arg = this.args[this.argNum]
    this.argNum++
    const kind = kindOf(arg)
    if (kind !== 'int' && kind !== 'uint8') {
      return { num: 0, isInt: false }
    }
    const num = Number((arg as { value: bigint }).value)
    return Math.abs(num) > TOO_LARGE ? { num: 0, isInt: false } : { num, isInt: true }
  }

  private writeExtraArguments(): void {
    if (this.reordered || this.argNum >= this.args.length) {
      return
    }
    this.p.flags = clearFlags()
    this.p.out += '%!(EXTRA '
    this.args.slice(this.argNum).forEach((arg, i) => {
      if (i > 0) {
        this.p.out += ', '
      }
      if (arg === null || arg === undefined) {
        this.p.out += '<nil>'
      } else {
        this.p.out += `${typeName(arg)}=`
        this.p.printArg(arg, 'v')
      }
    })
    this.p.out += ')'
  }
}
