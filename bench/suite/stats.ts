/** The middle value of `values` (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** The smallest value that at least `fraction` of `values` do not exceed (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(0, Math.ceil(fraction * sorted.length) - 1)
  return sorted[rank] ?? Number.NaN
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable to `date +%s%N`. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}
