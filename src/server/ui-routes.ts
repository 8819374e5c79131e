import { Elysia } from 'elysia'
import { findUiAsset } from '../ui/index.ts'
import { authenticate, type JwtVerifier } from './auth.ts'
import { isSameOrigin } from './origin.ts'
import { requestPath } from './request-url.ts'
import { errorJsonResponse, jsonResponse, notFoundResponse, textResponse } from './responses.ts'
import { EXTRA_ROUTES, UI_PREFIX } from './route-table.ts'

// The page runs only its own files; nothing is loaded from elsewhere (issue 7).
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

/** `GET /ui` and the files under `/ui/`; no authentication, the page signs in itself. */
export function uiAssetRoutes() {
  return new Elysia()
    .get(
      EXTRA_ROUTES.uiRoot,
      () => new Response(null, { status: 301, headers: { Location: UI_PREFIX } }),
    )
    .get(UI_PREFIX, ({ request }) => serveAsset(request))
    .get(`${UI_PREFIX}*`, ({ request }) => serveAsset(request))
}

/**
 * `POST /ui/session`: checks the pasted token like the API does and, when valid, stores it in
 * an HttpOnly SameSite=Strict `jwt` cookie, which page scripts cannot read and other sites
 * cannot make the browser send.
 */
export async function createSession(request: Request, verifier: JwtVerifier): Promise<Response> {
  if (!isSameOrigin(request)) {
    return errorJsonResponse(403, 'Cross-origin sign-in refused')
  }

  const token = readToken(await request.text())
  if (token === undefined) {
    return errorJsonResponse(400, 'Expected a JSON body {"token":"…"}')
  }

  const probe = new Request(request.url, { headers: { Authorization: `Bearer ${token}` } })
  const auth = await authenticate({ request: probe, verifier, nowMs: Date.now() })
  if (!auth.ok) {
    return textResponse(401, auth.reason)
  }

  const response = jsonResponse({ user: auth.user })
  const cookie = sessionCookie(token, expiresInSeconds(token), isHttps(request))
  response.headers.set('Set-Cookie', cookie)
  return response
}

/** `POST /ui/logout`: the cookie is replaced by an expired empty one. */
export function deleteSession(): Response {
  return new Response(null, { status: 204, headers: { 'Set-Cookie': sessionCookie('', 0) } })
}

async function serveAsset(request: Request): Promise<Response> {
  const asset = await findUiAsset(requestPath(request.url).slice(UI_PREFIX.length))
  if (asset === undefined) {
    return notFoundResponse()
  }

  return new Response(asset.file, {
    headers: {
      'Content-Type': asset.contentType,
      'Cache-Control': 'no-cache',
      ...SECURITY_HEADERS,
    },
  })
}

function readToken(body: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }

  const token = (parsed as { token?: unknown } | null)?.token
  if (typeof token !== 'string') {
    return undefined
  }

  // People paste what `prunner debug` prints, which starts with `Bearer `.
  const trimmed = token.trim().replace(/^bearer\s+/i, '')
  return trimmed === '' ? undefined : trimmed
}

function sessionCookie(token: string, maxAgeSeconds: number | undefined, isSecure = false): string {
  const maxAge = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`
  const secure = isSecure ? '; Secure' : ''
  return `jwt=${token}; Path=/; HttpOnly; SameSite=Strict${secure}${maxAge}`
}

// prunner itself speaks plain HTTP; behind a TLS proxy the browser's origin tells, so the
// cookie is then never sent over plain HTTP.
function isHttps(request: Request): boolean {
  const origin = request.headers.get('origin') ?? ''
  const forwarded = request.headers.get('x-forwarded-proto') ?? ''
  return origin.startsWith('https://') || forwarded.split(',')[0]?.trim() === 'https'
}

// The token is verified already; only its `exp` is read here to let the cookie expire with it.
function expiresInSeconds(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
    const exp = (payload as { exp?: unknown }).exp
    return typeof exp === 'number' ? Math.max(0, Math.floor(exp - Date.now() / 1000)) : undefined
  } catch {
    return undefined
  }
}
