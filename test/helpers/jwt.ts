import { createHmac } from 'node:crypto'

/** Signs a JWT by hand, so tests can also make tokens with other algorithms. */
export function signToken(
  secret: string,
  claims: Record<string, unknown>,
  options: { alg?: 'HS256' | 'HS512' | 'none' } = {},
): string {
  const alg = options.alg ?? 'HS256'
  const header = base64Url(JSON.stringify({ alg, typ: 'JWT' }))
  const payload = base64Url(JSON.stringify(claims))
  if (alg === 'none') {
    return `${header}.${payload}.`
  }

  const hash = alg === 'HS256' ? 'sha256' : 'sha512'
  const signature = createHmac(hash, secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

function base64Url(text: string): string {
  return Buffer.from(text).toString('base64url')
}
