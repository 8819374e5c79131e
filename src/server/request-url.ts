/** The raw path of a request URL, without the query: the same string Elysia routes on. */
export function requestPath(url: string): string {
  const target = requestTarget(url)
  const queryStart = target.indexOf('?')
  return queryStart === -1 ? target : target.slice(0, queryStart)
}

/** The raw path and query of a request URL, as the request line carried them. */
export function requestTarget(url: string): string {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2)
  return pathStart === -1 ? '/' : url.slice(pathStart)
}
