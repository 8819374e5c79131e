import { type AuthResult, authenticate, type JwtVerifier } from './auth.ts'
import { isSameOrigin } from './origin.ts'
import { requestPath } from './request-url.ts'
import { methodNotAllowedResponse, notFoundResponse, textResponse } from './responses.ts'
import { findRule, type RouteRule } from './route-table.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// The token's user, keyed by request: the guard runs before routing, handlers read it later.
const authenticatedUsers = new WeakMap<Request, string>()

/**
 * The answer to a request before routing, or undefined to let it through. Protected prefixes
 * authenticate first, so unknown paths under them do not reveal themselves (SPEC §8.1).
 */
export async function guardRequest(options: {
  request: Request
  verifier: JwtVerifier
  routes: ReadonlyMap<string, RouteRule>
}): Promise<Response | undefined> {
  const { request } = options
  const path = requestPath(request.url)
  const rule = findRule(options.routes, path)
  if (isProtected(path) || rule?.isProtected) {
    const auth: AuthResult = await authenticate({
      request,
      verifier: options.verifier,
      nowMs: Date.now(),
    })
    if (!auth.ok) {
      return textResponse(401, auth.reason)
    }

    // The browser attaches the UI's cookie to requests that other local sites make it send
    // (SameSite treats every port of a host as one site): those may read, never change state.
    if (auth.isFromCookie && !SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
      return textResponse(403, 'cross-origin request refused')
    }

    authenticatedUsers.set(request, auth.user)
  }

  if (rule === undefined) {
    return notFoundResponse()
  }

  return request.method === rule.method ? undefined : methodNotAllowedResponse([rule.method])
}

/** The user the guard authenticated; throws if a protected handler is reached without it. */
export function authenticatedUser(request: Request): string {
  const user = authenticatedUsers.get(request)
  if (user === undefined) {
    throw new Error('protected route reached without authentication')
  }

  return user
}

function isProtected(path: string): boolean {
  return ['/pipelines', '/job'].some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
}
