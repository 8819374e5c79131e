/**
 * API time (SPEC §1): RFC 3339 UTC, whole seconds truncated, `Z` suffix.
 * `toISOString()` must not be used directly: its `.000Z` breaks the PHP client.
 */
export function formatApiTime(epochMs: number): string {
  const truncated = Math.floor(epochMs / 1000) * 1000
  return `${new Date(truncated).toISOString().slice(0, 19)}Z`
}

export function formatApiTimeOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : formatApiTime(epochMs)
}
