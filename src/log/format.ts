import type { LogRecord } from './logger.ts'

/** One logfmt line (SPEC §11): time, level, msg, then the fields sorted by name. */
export function formatLogfmt(record: LogRecord): string {
  const parts = [
    `time=${record.time.toISOString()}`,
    `level=${record.level}`,
    `msg=${quoteValue(record.msg)}`,
  ]
  for (const key of Object.keys(record.fields).sort()) {
    const value = record.fields[key]
    if (value === undefined) {
      continue
    }

    parts.push(`${key}=${quoteValue(stringifyValue(value))}`)
  }
  return parts.join(' ')
}

const LEVEL_COLOURS: Record<LogRecord['level'], string> = {
  debug: '\x1b[90m',
  info: '\x1b[36m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
}

/** Human-oriented line for a terminal; its layout is not a stable interface. */
export function formatPretty(record: LogRecord): string {
  const clock = record.time.toISOString().slice(11, 23)
  const level = `${LEVEL_COLOURS[record.level]}${record.level.toUpperCase().padEnd(5)}\x1b[0m`
  const fields = Object.keys(record.fields)
    .sort()
    .filter((key) => record.fields[key] !== undefined)
    .map((key) => `\x1b[2m${key}=\x1b[0m${quoteValue(stringifyValue(record.fields[key]))}`)
  return [`\x1b[2m${clock}\x1b[0m`, level, record.msg, ...fields].join(' ')
}

function stringifyValue(value: unknown): string {
  if (typeof value === 'string') {
    return value
  }

  if (value instanceof Error) {
    return value.message
  }

  if (typeof value === 'object' && value !== null) {
    return JSON.stringify(value)
  }

  return String(value)
}

// Control characters, space, '=' and '"' force quoting so that a line always splits unambiguously.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we look for.
const NEEDS_QUOTES = /[\s="\u0000-\u001f\u007f]/

function quoteValue(value: string): string {
  if (value === '') {
    return '""'
  }

  if (!NEEDS_QUOTES.test(value)) {
    return value
  }

  return JSON.stringify(value)
}
