/** The first value of a query parameter, null when absent (Go's `Query().Get`). */
export function queryParam(request: Request, name: string): string | null {
  return new URL(request.url).searchParams.get(name)
}

/** A non-negative integer written in plain digits, else undefined. */
export function parseCount(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined
}
