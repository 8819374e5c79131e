import { PrunnerError } from '../shared/errors.ts'

const NS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 MICRO SIGN
  μs: 1e3, // U+03BC GREEK SMALL LETTER MU; Go accepts both spellings
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
}

const PART = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/
const UNITLESS = /^[-+]?(\d+\.?\d*|\.\d+)$/
// Go's time.Duration is an int64 of nanoseconds; longer values are rejected there too.
const MAX_NS = 2 ** 63 - 1

/**
 * Parses a duration in Go's syntax (`500ms`, `1h30m`) into milliseconds (SPEC §4.5).
 * `key` names the setting in the error message.
 */
export function parseDuration(value: string | number, key: string): number {
  const text = String(value)
  if (/^[-+]?0$/.test(text)) {
    return 0
  }

  if (typeof value === 'number' || UNITLESS.test(text)) {
    throw new PrunnerError('DEFINITION_INVALID', `${key} needs a unit, e.g. "10s" (got ${text})`)
  }

  const ns = parseNanoseconds(text)
  if (ns === undefined) {
    throw new PrunnerError('DEFINITION_INVALID', `${key}: invalid duration "${text}"`)
  }

  // `-0` would leak out of `-1 * 0`; callers compare with 0 and print values.
  return ns === 0 ? 0 : ns / 1e6
}

function parseNanoseconds(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1
  let rest = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text
  if (rest === '') {
    return undefined
  }

  let total = 0
  while (rest !== '') {
    const match = PART.exec(rest)
    if (!match) {
      return undefined
    }

    const [whole, number = '', unit = ''] = match
    // Rounding to whole nanoseconds removes float noise such as 1.1 * 1e9 = 1100000000.0000002.
    total += Math.round(Number(number) * (NS_PER_UNIT[unit] ?? Number.NaN))
    rest = rest.slice(whole.length)
  }

  if (!Number.isFinite(total) || total > MAX_NS) {
    return undefined
  }

  return sign * total
}
