import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findUiAsset } from '../../src/ui/index.ts'
import { nowSeconds, req, setup, signToken, validToken } from '../server/helpers.ts'

describe('UI files', () => {
  test('serves the app page at /ui/ and redirects /ui there, without a token', async () => {
    const { app } = setup()
    const page = await req(app, '/ui/', { token: null })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('<script src="app.js"')
    const redirect = await req(app, '/ui', { token: null })
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe('/ui/')
  })

  test('serves scripts and styles with their types and loads nothing from another host', async () => {
    const { app } = setup()
    const script = await req(app, '/ui/app.js', { token: null })
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const css = await req(app, '/ui/app.css', { token: null })
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    for (const text of [
      await script.text(),
      await css.text(),
      await (await req(app, '/ui/', { token: null })).text(),
    ]) {
      expect(text).not.toMatch(/(src|href)=["']?(https?:)?\/\//)
      expect(text).not.toMatch(/url\(["']?(https?:)?\/\//)
    }
  })

  test('answers 404 for missing files and paths that try to leave the asset folder', async () => {
    const { app } = setup()
    for (const path of [
      '/ui/nope.js',
      '/ui/../package.json',
      '/ui/%2e%2e/assets.ts',
      '/ui/..%2fassets.ts',
      '/ui/static/../../server/app.ts',
      '/ui/assets.ts',
    ]) {
      const response = await req(app, path, { token: null })
      expect({ path, status: response.status }).toEqual({ path, status: 404 })
    }
    expect((await req(app, '/ui/', { method: 'HEAD', token: null })).status).toBe(405)
  })
})

describe('findUiAsset', () => {
  let root = ''
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'prunner-ui-'))
    await mkdir(join(root, 'static', 'sub'), { recursive: true })
    await writeFile(join(root, 'secret.html'), 'secret')
    await writeFile(join(root, 'static', 'sub', 'page.html'), 'page')
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  test('finds files in subfolders and refuses every escape', async () => {
    const dir = join(root, 'static')
    expect(await (await findUiAsset('sub/page.html', dir))?.file.text()).toBe('page')
    for (const path of [
      '../secret.html',
      '%2e%2e/secret.html',
      'sub/../../secret.html',
      '..\\secret.html',
      'sub//page.html',
      '%00',
      '%E0%A4%A',
    ]) {
      expect({ path, asset: await findUiAsset(path, dir) }).toEqual({ path, asset: undefined })
    }
  })
})

describe('POST /ui/session', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    req(setup().app, '/ui/session', {
      method: 'POST',
      body: JSON.stringify(body),
      token: null,
      headers,
    })

  test('sets an HttpOnly SameSite=Strict jwt cookie for a valid pasted token', async () => {
    const token = validToken('jane')
    const response = await post({ token: `Bearer ${token}` })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ user: 'jane' })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toStartWith(`jwt=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=`)
  })

  test('marks the cookie Secure when the browser reached prunner over HTTPS', async () => {
    const token = validToken('jane')
    const proxied = await post({ token }, { 'X-Forwarded-Proto': 'https' })
    expect(proxied.headers.get('set-cookie')).toContain('; Secure')
    const plain = await post({ token })
    expect(plain.headers.get('set-cookie')).not.toContain('Secure')
  })

  test('lets the cookie authenticate the API', async () => {
    const { app } = setup()
    const token = signToken({ iat: nowSeconds() })
    const session = await req(app, '/ui/session', {
      method: 'POST',
      body: JSON.stringify({ token }),
      token: null,
    })
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    expect(cookie).toBe(`jwt=${token}`)
    const response = await req(app, '/pipelines', { token: null, headers: { Cookie: cookie } })
    expect(response.status).toBe(200)
  })

  test('refuses bad tokens with the API reasons and sets no cookie', async () => {
    const cases: [unknown, number, string][] = [
      [
        { token: signToken({}, { secret: 'another-secret-of-enough-length' }) },
        401,
        'token is unauthorized\n',
      ],
      [{ token: signToken({ exp: nowSeconds() - 60 }) }, 401, 'token is expired\n'],
      [{ token: signToken({}, { alg: 'HS512' }) }, 401, 'token is unauthorized\n'],
      [{ nope: 1 }, 400, '{"error":"Expected a JSON body {\\"token\\":\\"…\\"}"}\n'],
    ]
    for (const [body, status, text] of cases) {
      const response = await post(body)
      expect({
        status: response.status,
        text: await response.text(),
        cookie: response.headers.get('set-cookie'),
      }).toEqual({ status, text, cookie: null })
    }
  })

  test('refuses a sign-in posted from another origin', async () => {
    const response = await post({ token: validToken() }, { Origin: 'http://evil.example' })
    expect(response.status).toBe(403)
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  test('signs out by expiring the cookie', async () => {
    const response = await req(setup().app, '/ui/logout', { method: 'POST', token: null })
    expect(response.status).toBe(204)
    expect(response.headers.get('set-cookie')).toBe(
      'jwt=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    )
  })
})
