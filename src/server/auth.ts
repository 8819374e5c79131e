/** The options of jose's `jwtVerify` that prunner uses. */
export interface JwtVerifyOptions {
  algorithms: string[]
  clockTolerance: number
}

/** The `verify` half of the `@elysiajs/jwt` decorator. */
export interface JwtVerifier {
  verify(token?: string, options?: JwtVerifyOptions): Promise<Record<string, unknown> | false>
}

export type AuthResult =
  | { ok: true; user: string; isFromCookie: boolean }
  | { ok: false; reason: string }

const LEEWAY_SECONDS = 5

// The signature and claim types are checked by jose; its own time checks are switched off with
// this tolerance because the reasons and the leeway of SPEC §8.2 differ from jose's.
const VERIFY_OPTIONS: JwtVerifyOptions = {
  algorithms: ['HS256'],
  clockTolerance: Number.MAX_SAFE_INTEGER,
}

/** Authenticates a request by its bearer header or `jwt` cookie (SPEC §8.2). */
export async function authenticate(options: {
  request: Request
  verifier: JwtVerifier
  nowMs: number
}): Promise<AuthResult> {
  const headers = options.request.headers
  const token = findToken(headers)
  if (token === undefined) {
    return { ok: false, reason: 'no token found' }
  }

  const claims = await options.verifier.verify(token, VERIFY_OPTIONS)
  if (claims === false) {
    return { ok: false, reason: 'token is unauthorized' }
  }

  const timeProblem = checkTimeClaims(claims, Math.floor(options.nowMs / 1000))
  if (timeProblem !== undefined) {
    return { ok: false, reason: timeProblem }
  }

  return {
    ok: true,
    user: typeof claims.sub === 'string' ? claims.sub : '',
    isFromCookie: bearerToken(headers) === undefined,
  }
}

/** The token from `Authorization: Bearer` (prefix in any case), else from the `jwt` cookie. */
export function findToken(headers: Headers): string | undefined {
  const bearer = bearerToken(headers)
  if (bearer !== undefined) {
    return bearer
  }

  const cookie = readCookie(headers.get('cookie') ?? '', 'jwt')
  return cookie === '' ? undefined : cookie
}

function bearerToken(headers: Headers): string | undefined {
  const authorization = headers.get('authorization') ?? ''
  const hasBearer =
    authorization.slice(0, 7).toLowerCase() === 'bearer ' && authorization.length > 7
  return hasBearer ? authorization.slice(7) : undefined
}

function checkTimeClaims(claims: Record<string, unknown>, nowSeconds: number): string | undefined {
  const { exp, iat, nbf } = claims
  // jose has already rejected present claims that are not numbers.
  if (typeof exp === 'number' && !(nowSeconds < exp + LEEWAY_SECONDS)) {
    return 'token is expired'
  }

  if (typeof iat === 'number' && !(iat <= nowSeconds + LEEWAY_SECONDS)) {
    return 'token iat validation failed'
  }

  if (typeof nbf === 'number' && !(nbf <= nowSeconds + LEEWAY_SECONDS)) {
    return 'token nbf validation failed'
  }

  return undefined
}

// The first cookie with that name wins; surrounding double quotes are removed as Go's net/http does.
function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const separator = part.indexOf('=')
    if (separator === -1 || part.slice(0, separator).trim() !== name) {
      continue
    }

    const value = part.slice(separator + 1).trim()
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
      ? value.slice(1, -1)
      : value
  }
  return undefined
}
