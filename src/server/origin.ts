/**
 * Whether a browser request comes from prunner's own pages. Browsers send `Origin` on every
 * POST and `Sec-Fetch-Site` on every request; a client that sends neither is not a browser, so
 * no other site can have made it send prunner's cookie.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin')
  if (origin === null) {
    const site = request.headers.get('sec-fetch-site')
    return site === null || site === 'same-origin' || site === 'none'
  }

  try {
    return new URL(origin).host === (request.headers.get('host') ?? new URL(request.url).host)
  } catch {
    return false
  }
}
