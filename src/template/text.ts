// Go strings are UTF-8 bytes while ours are UTF-16; these helpers bridge lengths, offsets and order.

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The number of UTF-8 bytes of `s` (Go's len). */
export function byteLength(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) {
      n += 1
    } else if (c < 0x800) {
      n += 2
    } else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4
      i++
    } else {
      n += 3
    }
  }
  return n
}

/** The number of code points of `s` (Go's utf8.RuneCountInString). */
export function runeCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    if (!isLowSurrogate(s.charCodeAt(i)) || !isHighSurrogate(s.charCodeAt(i - 1))) {
      n++
    }
  }
  return n
}

/** UTF-8 bytes of `s`. */
export function toBytes(s: string): Uint8Array {
  return encoder.encode(s)
}

/** Decodes UTF-8; invalid sequences become U+FFFD, where Go would keep the raw bytes. */
export function fromBytes(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}

/** Compares like Go's `<` on strings: byte-wise UTF-8 order, which is code point order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      return codeUnitRank(x) - codeUnitRank(y)
    }
  }
  return a.length - b.length
}

/** Keeps at most `count` code points of `s`. */
export function truncateRunes(s: string, count: number): string {
  let seen = 0
  for (let i = 0; i < s.length; i++) {
    if (isLowSurrogate(s.charCodeAt(i)) && isHighSurrogate(s.charCodeAt(i - 1))) {
      continue
    }
    if (seen === count) {
      return s.slice(0, i)
    }
    seen++
  }
  return s
}

export function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}

export function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}

// Surrogates (U+D800..DFFF) encode code points above U+FFFF, so they must sort after U+E000..FFFF.
function codeUnitRank(c: number): number {
  if (c >= 0xe000) {
    return c - 0x800
  }
  return c >= 0xd800 ? c + 0x2000 : c
}
