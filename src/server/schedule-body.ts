import { normalizeVariables } from './variables.ts'

/** The fields of a `POST /pipelines/schedule` body (SPEC §8.6), before the token adds `user`. */
export interface ScheduleBody {
  pipeline: string
  variables?: Record<string, unknown>
  partition: string
}

export type ScheduleBodyResult = { ok: true; body: ScheduleBody } | { ok: false; detail: string }

/**
 * Reads a schedule request body the way the Go original's JSON decoder does: JSON whatever the
 * Content-Type, keys matched case-insensitively with an exact-case key winning, unknown keys
 * ignored. `detail` is the text after `Error decoding JSON: `.
 */
export function parseScheduleBody(text: string): ScheduleBodyResult {
  if (JSON_WHITESPACE_ONLY.test(text)) {
    return { ok: false, detail: 'EOF' }
  }

  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) }
  }

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, detail: 'body must be a JSON object' }
  }

  return readFields(parsed as Record<string, unknown>)
}

const JSON_WHITESPACE_ONLY = /^[ \t\r\n]*$/

function readFields(object: Record<string, unknown>): ScheduleBodyResult {
  const pipeline = findField(object, 'pipeline') ?? ''
  if (typeof pipeline !== 'string') {
    return { ok: false, detail: 'pipeline must be a string' }
  }

  const partition = findField(object, 'queuePartition') ?? ''
  if (typeof partition !== 'string') {
    return { ok: false, detail: 'queuePartition must be a string' }
  }

  const variables = readVariables(findField(object, 'variables'))
  if (variables === false) {
    return { ok: false, detail: 'variables must be an object' }
  }

  if (variables === undefined) {
    return { ok: true, body: { pipeline, partition } }
  }

  const normalized = normalizeVariables(variables)
  if (!normalized.ok) {
    return normalized
  }

  return { ok: true, body: { pipeline, partition, variables: normalized.value } }
}

/** undefined when absent, null or empty; false when not an object. */
function readVariables(value: unknown): Record<string, unknown> | undefined | false {
  if (value === undefined || value === null) {
    return undefined
  }

  // PHP's json_encode writes an empty array for an empty map.
  if (Array.isArray(value)) {
    return value.length === 0 ? undefined : false
  }

  if (typeof value !== 'object') {
    return false
  }

  return Object.keys(value).length > 0 ? (value as Record<string, unknown>) : undefined
}

/**
 * The value of `name` in `object`: the exact-case key if present, else the last key equal
 * ignoring case (later duplicates overwrite earlier ones in Go's decoder).
 */
function findField(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) {
    return object[name]
  }

  const lowerName = name.toLowerCase()
  const matches = Object.keys(object).filter((key) => key.toLowerCase() === lowerName)
  const last = matches.at(-1)
  return last === undefined ? undefined : object[last]
}
