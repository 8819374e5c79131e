// A Go `time.ParseDuration`-style reader for flag values (SPEC §4.5): `500ms`, `1.5s`, `1h30m`.
// The definition loader has its own reader with YAML-specific messages; this one only needs the
// bare reason that the CLI puts after `invalid value "<v>" for flag --<name>: `.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu, which Go accepts as well
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

const UNITLESS = /^[-+]?(\d+\.?\d*|\.\d+)$/
const ZERO = /^[-+]?0$/

// Go stores durations as int64 nanoseconds; anything beyond that is not a duration there either.
const MAX_MS = 9_223_372_036_854.775

/** Milliseconds, or a reason why `text` is not a duration. */
export function readDuration(text: string): { ms: number } | { reason: string } {
  if (ZERO.test(text)) {
    return { ms: 0 }
  }

  if (UNITLESS.test(text)) {
    return { reason: 'needs a unit, e.g. "30s"' }
  }

  const sign = text.startsWith('-') ? -1 : 1
  const body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text
  const total = sumParts(body)
  if (total === undefined || total > MAX_MS) {
    return { reason: 'invalid duration' }
  }

  return { ms: sign * total }
}

function sumParts(body: string): number | undefined {
  if (body === '') {
    return undefined
  }

  // Sticky, so each part must start exactly where the previous one ended.
  const part = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y
  let total = 0
  while (part.lastIndex < body.length) {
    const match = part.exec(body)
    const unit = match?.[2]
    if (match === null || unit === undefined) {
      return undefined
    }

    total += Number(match[1]) * (UNIT_MS[unit] ?? Number.NaN)
  }
  return Number.isFinite(total) ? total : undefined
}
