/**
 * Deepest nesting accepted in `variables`. PHP's json_decode stops at 512 levels, and a job in
 * `/pipelines/jobs` sits four levels deep, so deeper variables would make the job list
 * unreadable for the PHP client.
 */
export const MAX_VARIABLES_DEPTH = 500

export type VariablesResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; detail: string }

/**
 * Checks and normalises decoded `variables` the way Go's decoder would have stored them:
 * numbers must be finite (`1e400` is an error), unpaired UTF-16 surrogates become U+FFFD (so
 * every response stays valid UTF-8), and a `__proto__` key stays an ordinary key.
 */
export function normalizeVariables(value: Record<string, unknown>): VariablesResult {
  try {
    return { ok: true, value: normalizeObject(value, 1) }
  } catch (error) {
    if (error instanceof VariablesError) {
      return { ok: false, detail: error.message }
    }

    throw error
  }
}

class VariablesError extends Error {}

function normalizeValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.toWellFormed()
  }

  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new VariablesError('variables: number out of range')
  }

  if (typeof value !== 'object' || value === null) {
    return value
  }

  if (depth >= MAX_VARIABLES_DEPTH) {
    throw new VariablesError(`variables: nested deeper than ${MAX_VARIABLES_DEPTH} levels`)
  }

  if (Array.isArray(value)) {
    return value.map((item) => normalizeValue(item, depth + 1))
  }

  return normalizeObject(value as Record<string, unknown>, depth + 1)
}

function normalizeObject(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(object)) {
    // defineProperty, not assignment: assigning to `__proto__` would replace the prototype.
    Object.defineProperty(copy, key.toWellFormed(), {
      value: normalizeValue(object[key], depth),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return copy
}
