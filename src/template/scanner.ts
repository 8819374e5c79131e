// The lexer's cursor over the template text and the character classes Go's lexer uses.

import type { Item, ItemType } from './items.ts'
import { isPrint } from './quote.ts'

export const LEFT_DELIM = '{{'
export const RIGHT_DELIM = '}}'
export const LEFT_COMMENT = '/*'
export const RIGHT_COMMENT = '*/'
export const TRIM_MARKER_LEN = 2
export const EOF = -1

export class Lexer {
  readonly items: Item[] = []
  pos = 0
  start = 0
  startLine = 1
  width = 0
  parenDepth = 0

  constructor(readonly input: string) {}

  next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0
      return EOF
    }
    const r = this.input.codePointAt(this.pos) ?? EOF
    this.width = r > 0xffff ? 2 : 1
    this.pos += this.width
    return r
  }

  backup(): void {
    this.pos -= this.width
  }

  peek(): number {
    const r = this.next()
    this.backup()
    return r
  }

  emit(type: ItemType): void {
    const val = this.input.slice(this.start, this.pos)
    this.items.push({ type, pos: this.start, val, line: this.startLine })
    this.ignore()
  }

  ignore(): void {
    this.startLine += countNewlines(this.input, this.start, this.pos)
    this.start = this.pos
  }

  accept(valid: string): boolean {
    const r = this.next()
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) {
      return true
    }
    this.backup()
    return false
  }

  acceptRun(valid: string): void {
    while (this.accept(valid)) {
      // Consumes the run.
    }
  }

  errorf(message: string): null {
    this.items.push({ type: 'error', pos: this.start, val: message, line: this.startLine })
    return null
  }

  /** Whether the input continues with `}}`, possibly preceded by a trim marker " -". */
  atRightDelim(): { isDelim: boolean; trims: boolean } {
    if (hasRightTrimMarker(this.input, this.pos)) {
      if (this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) {
        return { isDelim: true, trims: true }
      }
    }
    return { isDelim: this.input.startsWith(RIGHT_DELIM, this.pos), trims: false }
  }

  /** Whether the next rune can end a field, variable or identifier. */
  atTerminator(): boolean {
    const r = this.peek()
    if (isSpace(r)) {
      return true
    }
    switch (r) {
      case EOF:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
      case 0x7d: // } starts the right delimiter
        return true
      default:
        return false
    }
  }
}

export function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.charCodeAt(at) === 0x2d && isSpace(s.charCodeAt(at + 1))
}

export function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 0x2d
}

export function rightTrimLength(s: string, start: number, end: number): number {
  let i = end
  while (i > start && isSpace(s.charCodeAt(i - 1))) {
    i--
  }
  return end - i
}

export function leftTrimLength(s: string, start: number): number {
  let i = start
  while (i < s.length && isSpace(s.charCodeAt(i))) {
    i++
  }
  return i - start
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) {
    n++
  }
  return n
}

export function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a
}

export function isDigit(r: number): boolean {
  return r >= 0x30 && r <= 0x39
}

const UNICODE_ALNUM = /^[\p{L}\p{Nd}]$/u

export function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) {
    return r === 0x5f || isDigit(r) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a)
  }
  return r !== EOF && UNICODE_ALNUM.test(String.fromCodePoint(r))
}

/** Go's %#U: U+002D '-', without the quoted rune when it is not printable. */
export function formatRune(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`
  return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex
}
