/**
 * JSON text for API responses (SPEC §8.3). JSON.stringify cannot emit integer-like keys in
 * byte-wise order (JavaScript objects always list `"2"` before `"10"`), so objects registered
 * with `sortedCopy` are written by this module with their keys sorted.
 */

const sortedObjects = new WeakSet<object>()

/**
 * A deep copy of `value` whose objects are written with byte-wise sorted keys at every level.
 * The copy is a plain object, so JSON.stringify still works on it (only integer-like keys
 * would then come out in JavaScript order).
 */
export function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortedCopy)
  }

  if (!isPlainObject(value)) {
    return value
  }

  const copy: Record<string, unknown> = {}
  for (const key of sortKeys(Object.keys(value))) {
    // defineProperty, not assignment: assigning to `__proto__` would replace the prototype.
    Object.defineProperty(copy, key, {
      value: sortedCopy(value[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  sortedObjects.add(copy)
  return copy
}

/** JSON text made earlier, inserted as it is by `stringifyJson`. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** One JSON value as text, keys in insertion order except for `sortedCopy` objects. */
export function stringifyJson(value: unknown): string {
  if (value instanceof RawJson) {
    return value.text
  }

  if (Array.isArray(value)) {
    return `[${value.map((item) => stringifyJson(item ?? null)).join(',')}]`
  }

  if (!isPlainObject(value)) {
    return JSON.stringify(value) ?? 'null'
  }

  const keys = sortedObjects.has(value) ? sortKeys(Object.keys(value)) : Object.keys(value)
  const members: string[] = []
  for (const key of keys) {
    if (value[key] !== undefined) {
      members.push(`${JSON.stringify(key)}:${stringifyJson(value[key])}`)
    }
  }
  return `{${members.join(',')}}`
}

/** UTF-8 byte order equals code point order, which differs from JavaScript's UTF-16 order. */
function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
