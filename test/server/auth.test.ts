import { describe, expect, test } from 'bun:test'
import { base64url, nowSeconds, req, SECRET, setup, signToken } from './helpers.ts'

async function status(token: string | null, headers: Record<string, string> = {}) {
  const { app } = setup()
  const response = await req(app, '/pipelines', { token, headers })
  return {
    status: response.status,
    body: await response.text(),
    type: response.headers.get('content-type'),
  }
}

describe('authentication', () => {
  test('rejects a request without a token with a plain-text reason', async () => {
    expect(await status(null)).toEqual({
      status: 401,
      body: 'no token found\n',
      type: 'text/plain; charset=utf-8',
    })
  })

  test('accepts a {sub, exp} token as the PHP package sends it', async () => {
    expect((await status(signToken({ sub: 'jane', exp: nowSeconds() + 60 }))).status).toBe(200)
  })

  test('accepts an {iat} token as prunner debug prints it', async () => {
    expect((await status(signToken({ iat: nowSeconds() }))).status).toBe(200)
  })

  test('accepts a token without any claim', async () => {
    expect((await status(signToken({}))).status).toBe(200)
  })

  test('rejects a token signed with another secret', async () => {
    const token = signToken({ sub: 'jane' }, { secret: 'another-secret-of-enough-length' })
    expect(await status(token)).toMatchObject({ status: 401, body: 'token is unauthorized\n' })
  })

  test('rejects an HS512 token even when it is signed with the secret', async () => {
    const token = signToken({ sub: 'jane' }, { alg: 'HS512', secret: SECRET })
    expect(await status(token)).toMatchObject({ status: 401, body: 'token is unauthorized\n' })
  })

  test('rejects an unsigned alg none token', async () => {
    expect(await status(signToken({ sub: 'jane' }, { alg: 'none' }))).toMatchObject({
      status: 401,
      body: 'token is unauthorized\n',
    })
  })

  test('rejects a malformed token and a tampered payload', async () => {
    expect((await status('not-a-jwt')).body).toBe('token is unauthorized\n')
    const [header, , signature] = signToken({ sub: 'jane' }).split('.')
    const tampered = `${header}.${base64url('{"sub":"admin"}')}.${signature}`
    expect((await status(tampered)).body).toBe('token is unauthorized\n')
  })

  test('rejects non-numeric time claims as unauthorized', async () => {
    for (const claim of ['exp', 'iat', 'nbf']) {
      const token = signToken({ [claim]: String(nowSeconds() + 60) })
      expect((await status(token)).body).toBe('token is unauthorized\n')
    }
  })

  test('rejects an expired token beyond the 5 s leeway', async () => {
    const token = signToken({ exp: nowSeconds() - 10 })
    expect(await status(token)).toMatchObject({ status: 401, body: 'token is expired\n' })
  })

  test('accepts an expired token inside the 5 s leeway', async () => {
    expect((await status(signToken({ exp: nowSeconds() - 2 }))).status).toBe(200)
  })

  test('rejects iat and nbf in the future beyond the leeway', async () => {
    expect((await status(signToken({ iat: nowSeconds() + 30 }))).body).toBe(
      'token iat validation failed\n',
    )
    expect((await status(signToken({ nbf: nowSeconds() + 30 }))).body).toBe(
      'token nbf validation failed\n',
    )
  })

  test('accepts iat and nbf slightly in the future inside the leeway', async () => {
    expect((await status(signToken({ iat: nowSeconds() + 2, nbf: nowSeconds() + 2 }))).status).toBe(
      200,
    )
  })

  test('reports the first failing reason in the order of the spec table', async () => {
    const future = nowSeconds() + 30
    expect(
      (await status(signToken({ exp: nowSeconds() - 30, iat: future, nbf: future }))).body,
    ).toBe('token is expired\n')
    expect((await status(signToken({ iat: future, nbf: future }))).body).toBe(
      'token iat validation failed\n',
    )
  })

  test('reads the Bearer prefix in any case', async () => {
    const token = signToken({ sub: 'jane' })
    for (const prefix of ['bearer', 'BEARER', 'BeArEr']) {
      expect((await status(null, { Authorization: `${prefix} ${token}` })).status).toBe(200)
    }
  })

  test('reads the token from the jwt cookie when the header has none', async () => {
    const token = signToken({ sub: 'jane' })
    expect((await status(null, { Cookie: `other=1; jwt=${token}` })).status).toBe(200)
    expect(
      (await status(null, { Authorization: 'Basic abc', Cookie: `jwt=${token}` })).status,
    ).toBe(200)
  })

  test('refuses cookie-authenticated changes that another site made the browser send', async () => {
    const { app, scheduler } = setup()
    const cookie = `jwt=${signToken({ sub: 'jane' })}`
    const body = '{"pipeline":"deploy"}'
    const post = (headers: Record<string, string>) =>
      req(app, '/pipelines/schedule', { method: 'POST', token: null, body, headers })

    const foreign = await post({
      Cookie: cookie,
      Origin: 'http://127.0.0.1:8080',
      Host: 'localhost:9009',
    })
    expect(foreign.status).toBe(403)
    expect(await foreign.text()).toBe('cross-origin request refused\n')
    const crossSite = await post({ Cookie: cookie, 'Sec-Fetch-Site': 'same-site' })
    expect(crossSite.status).toBe(403)
    expect(scheduler.scheduled).toHaveLength(0)

    const own = await post({
      Cookie: cookie,
      Origin: 'http://localhost:9009',
      Host: 'localhost:9009',
    })
    expect(own.status).toBe(202)
    const bearer = await req(app, '/pipelines/schedule', {
      method: 'POST',
      body,
      headers: { Origin: 'http://127.0.0.1:8080', Host: 'localhost:9009' },
    })
    expect(bearer.status).toBe(202)
    const read = await req(app, '/pipelines', {
      token: null,
      headers: { Cookie: cookie, Origin: 'http://127.0.0.1:8080' },
    })
    expect(read.status).toBe(200)
  })

  test('prefers the header token over the cookie', async () => {
    const good = signToken({ sub: 'jane' })
    const response = await status(null, { Authorization: 'Bearer broken', Cookie: `jwt=${good}` })
    expect(response.body).toBe('token is unauthorized\n')
  })

  test('ignores a token given as a query parameter', async () => {
    const { app } = setup()
    const response = await req(app, `/pipelines?jwt=${signToken({})}&token=${signToken({})}`, {
      token: null,
    })
    expect(response.status).toBe(401)
  })

  test('passes a string sub as the user of a scheduled job and "" otherwise', async () => {
    const { app, scheduler } = setup()
    const body = '{"pipeline":"deploy"}'
    await req(app, '/pipelines/schedule', {
      method: 'POST',
      body,
      token: signToken({ sub: 'jane' }),
    })
    await req(app, '/pipelines/schedule', { method: 'POST', body, token: signToken({ sub: 42 }) })
    await req(app, '/pipelines/schedule', { method: 'POST', body, token: signToken({}) })
    expect(scheduler.scheduled.map((request) => request.user)).toEqual(['jane', '', ''])
  })
})
