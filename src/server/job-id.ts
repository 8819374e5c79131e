const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const COMPACT = /^[0-9a-f]{32}$/i
const URN_PREFIX = 'urn:uuid:'

/**
 * The lowercase hyphenated form of a job id given in any form the Go original's uuid parser
 * accepts (SPEC §8.6): canonical in any case, 32 hex digits, `{...}` or `urn:uuid:...`.
 * Returns undefined for anything else.
 */
export function canonicalJobId(input: string | null): string | undefined {
  if (input === null) {
    return undefined
  }

  const unwrapped = unwrapJobId(input)
  if (CANONICAL.test(unwrapped)) {
    return unwrapped.toLowerCase()
  }

  if (COMPACT.test(input)) {
    const hex = input.toLowerCase()
    return [0, 8, 12, 16, 20].map((start, i, all) => hex.slice(start, all[i + 1])).join('-')
  }

  return undefined
}

// Braces and the URN prefix only wrap the hyphenated form, as in the Go original.
function unwrapJobId(input: string): string {
  if (input.startsWith('{') && input.endsWith('}')) {
    return input.slice(1, -1)
  }

  if (input.slice(0, URN_PREFIX.length).toLowerCase() === URN_PREFIX) {
    return input.slice(URN_PREFIX.length)
  }

  return input
}
