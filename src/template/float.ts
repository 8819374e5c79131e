// Go's strconv.FormatFloat for the 'e', 'E', 'f', 'g' and 'G' formats of a float64. Explicit
// precisions round the exact binary value half to even, as Go does; the shortest form (precision
// -1) uses the shortest digits that read back as the same double.

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G'

/** Decimal digits `0.d1d2d3... × 10^dp`, without leading or trailing zeros; zero is `''`. */
interface Decimal {
  digits: string
  dp: number
}

/** Go's strconv.FormatFloat(x, format, precision, 64); precision -1 means shortest. */
export function formatFloat(x: number, format: FloatFormat, precision: number): string {
  if (Number.isNaN(x)) {
    return 'NaN'
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? '+Inf' : '-Inf'
  }

  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  const abs = Math.abs(x)
  if (precision < 0) {
    return sign + formatShortest(shortestDecimal(abs), format)
  }
  return sign + formatPrecise(abs, format, precision)
}

/**
 * An integer-valued float written out in full with Go's shortest digits, e.g. 1e21 as
 * 1000000000000000000000 (prunner's deviation from Go's %v, which would print 1e+21).
 */
export function formatIntegerFloat(x: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  const { digits, dp } = shortestDecimal(Math.abs(x))
  return digits === '' ? `${sign}0` : sign + digits + '0'.repeat(dp - digits.length)
}

function formatShortest(d: Decimal, format: FloatFormat): string {
  const nd = d.digits.length
  switch (format) {
    case 'e':
    case 'E':
      return formatE(d, Math.max(nd - 1, 0), format)
    case 'f':
      return formatF(d, Math.max(nd - d.dp, 0))
    default:
      return formatG(d, nd, true, format)
  }
}

function formatPrecise(abs: number, format: FloatFormat, precision: number): string {
  const exact = exactDecimal(abs)
  switch (format) {
    case 'e':
    case 'E':
      return formatE(roundDecimal(exact, precision + 1), precision, format)
    case 'f':
      return formatF(roundDecimal(exact, exact.dp + precision), precision)
    default: {
      const digits = precision === 0 ? 1 : precision
      return formatG(roundDecimal(exact, digits), digits, false, format)
    }
  }
}

function formatG(d: Decimal, precision: number, isShortest: boolean, format: FloatFormat): string {
  const nd = d.digits.length
  let eprec = precision
  if (eprec > nd && nd >= d.dp) {
    eprec = nd
  }
  // Shortest output switches to exponent form from 1e6 upwards (Go's %v rule).
  if (isShortest) {
    eprec = 6
  }

  const exp = d.dp - 1
  if (exp < -4 || exp >= eprec) {
    return formatE(d, Math.min(precision, nd) - 1, format === 'g' ? 'e' : 'E')
  }
  const fPrecision = precision > d.dp ? nd : precision
  return formatF(d, Math.max(fPrecision - d.dp, 0))
}

function formatE(d: Decimal, precision: number, letter: string): string {
  let out = d.digits === '' ? '0' : (d.digits[0] ?? '0')
  if (precision > 0) {
    out += `.${d.digits.slice(1, precision + 1).padEnd(precision, '0')}`
  }

  const exp = d.digits === '' ? 0 : d.dp - 1
  const magnitude = Math.abs(exp)
  return `${out}${letter}${exp < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`
}

function formatF(d: Decimal, precision: number): string {
  let out = '0'
  if (d.dp > 0) {
    out = d.digits.slice(0, d.dp).padEnd(d.dp, '0')
  }
  if (precision <= 0) {
    return out
  }

  let fraction = ''
  for (let i = 1; i <= precision; i++) {
    const j = d.dp + i - 1
    fraction += j >= 0 && j < d.digits.length ? d.digits[j] : '0'
  }
  return `${out}.${fraction}`
}

// Go's decimal.Round: keep `nd` digits, rounding half to even on the exact value.
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) {
    return d
  }
  return shouldRoundUp(d, nd) ? roundUp(d, nd) : roundDown(d, nd)
}

function shouldRoundUp(d: Decimal, nd: number): boolean {
  const digit = d.digits[nd] ?? '0'
  if (digit === '5' && nd + 1 === d.digits.length) {
    // Exactly halfway: round to even.
    return nd > 0 && Number(d.digits[nd - 1]) % 2 === 1
  }
  return digit >= '5'
}

function roundUp(d: Decimal, nd: number): Decimal {
  let i = nd - 1
  while (i >= 0 && d.digits[i] === '9') {
    i--
  }
  if (i < 0) {
    return { digits: '1', dp: d.dp + 1 }
  }
  return { digits: d.digits.slice(0, i) + String(Number(d.digits[i]) + 1), dp: d.dp }
}

function roundDown(d: Decimal, nd: number): Decimal {
  const digits = d.digits.slice(0, nd).replace(/0+$/, '')
  return { digits, dp: digits === '' ? 0 : d.dp }
}

// JavaScript's Number-to-String gives the shortest round-trip digits, closest to the exact value,
// which is also what Go's shortest formatting picks.
function shortestDecimal(abs: number): Decimal {
  if (abs === 0) {
    return { digits: '', dp: 0 }
  }
  const s = String(abs)
  const e = s.indexOf('e')
  const mantissa = e < 0 ? s : s.slice(0, e)
  const exponent = e < 0 ? 0 : Number(s.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const whole = dot < 0 ? mantissa : mantissa.slice(0, dot)
  const all = whole + (dot < 0 ? '' : mantissa.slice(dot + 1))
  return trimDecimal(all, whole.length + exponent)
}

const float64View = new DataView(new ArrayBuffer(8))

// The exact decimal expansion of a double: mantissa × 2^exp written out with BigInt.
function exactDecimal(abs: number): Decimal {
  if (abs === 0) {
    return { digits: '', dp: 0 }
  }
  float64View.setFloat64(0, abs)
  const hi = float64View.getUint32(0)
  const lo = float64View.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let exp = -1074
  if (biased !== 0) {
    mantissa |= 1n << 52n
    exp = biased - 1075
  }

  if (exp >= 0) {
    const digits = (mantissa << BigInt(exp)).toString()
    return trimDecimal(digits, digits.length)
  }
  // mantissa × 2^exp = mantissa × 5^-exp × 10^exp
  const digits = (mantissa * 5n ** BigInt(-exp)).toString()
  return trimDecimal(digits, digits.length + exp)
}

function trimDecimal(raw: string, dp: number): Decimal {
  let start = 0
  while (raw[start] === '0') {
    start++
  }
  let end = raw.length
  while (end > start && raw[end - 1] === '0') {
    end--
  }
  return start === end ? { digits: '', dp: 0 } : { digits: raw.slice(start, end), dp: dp - start }
}
