import { afterEach, describe, expect, test } from 'bun:test'
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jwt } from '@elysiajs/jwt'
import { logRecords, makeTempDir, removeTempDirs, runCli } from './run-cli.ts'

const SECRET = 'debug-test-secret-0123456789'
const HEADER_LINE = 'Send the following HTTP header for JWT authorization:'
const dirs: string[] = []

afterEach(() => {
  removeTempDirs(dirs)
})

function decodePart(token: string, index: number): string {
  return Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')
}

async function expectValidToken(token: string, secret: string, issuedBetween: [number, number]) {
  const verified = await jwt({ secret }).decorator.jwt.verify(token, { algorithms: ['HS256'] })
  expect(verified).not.toBe(false)
  expect(decodePart(token, 0)).toBe('{"alg":"HS256","typ":"JWT"}')

  const payload = JSON.parse(decodePart(token, 1))
  expect(Object.keys(payload)).toEqual(['iat'])
  expect(payload.iat).toBeGreaterThanOrEqual(issuedBetween[0])
  expect(payload.iat).toBeLessThanOrEqual(issuedBetween[1])
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

describe('prunner debug', () => {
  test('writes the two header lines to stderr and nothing to stdout', async () => {
    const cwd = makeTempDir(dirs)
    const before = nowSeconds()
    const result = await runCli(['debug'], { cwd, env: { PRUNNER_JWT_SECRET: SECRET } })

    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('')
    const match = result.stderr.match(/^\s{4}Authorization: Bearer (\S+)\n$/m)
    expect(result.stderr).toBe(`${HEADER_LINE}\n    Authorization: Bearer ${match?.[1]}\n`)
    await expectValidToken(match?.[1] ?? '', SECRET, [before, nowSeconds()])
  })

  test('with MINIMAL_OUTPUT=1 writes only Bearer <token> to stdout', async () => {
    const cwd = makeTempDir(dirs)
    const before = nowSeconds()
    const env = { PRUNNER_JWT_SECRET: SECRET, MINIMAL_OUTPUT: '1' }
    const result = await runCli(['debug'], { cwd, env })

    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
    expect(result.stderr).toBe('')
    await expectValidToken(result.stdout.slice('Bearer '.length), SECRET, [before, nowSeconds()])
  })

  test('creates the config file with a 32-character secret, mode 0600, and signs with it', async () => {
    const cwd = makeTempDir(dirs)
    const result = await runCli(['debug', '--disable-ansi'], { cwd, env: { MINIMAL_OUTPUT: '1' } })

    const text = readFileSync(join(cwd, '.prunner.yml'), 'utf8')
    const secret = text.match(/^jwt_secret: ([0-9A-Za-z]{32})\n$/)?.[1] ?? ''
    expect(secret).not.toBe('')
    expect(statSync(join(cwd, '.prunner.yml')).mode & 0o777).toBe(0o600)
    expect(logRecords(result.stderr)).toMatchObject([
      { level: 'info', msg: 'config file created', file: '.prunner.yml' },
    ])
    await expectValidToken(result.stdout.slice('Bearer '.length), secret, [0, nowSeconds()])
  })

  test('reads an existing config file without changing its permissions', async () => {
    const cwd = makeTempDir(dirs)
    const file = join(cwd, 'custom.yml')
    writeFileSync(file, `jwt_secret: ${SECRET}\n`)
    chmodSync(file, 0o640)
    const result = await runCli(['debug', '--config', 'custom.yml'], {
      cwd,
      env: { MINIMAL_OUTPUT: '1' },
    })

    expect(result.exitCode).toBe(0)
    expect(statSync(file).mode & 0o777).toBe(0o640)
    await expectValidToken(result.stdout.slice('Bearer '.length), SECRET, [0, nowSeconds()])
  })

  test('fails with the spec messages for a short or missing secret', async () => {
    const cwd = makeTempDir(dirs)
    writeFileSync(join(cwd, 'short.yml'), 'jwt_secret: tooshort\n')
    writeFileSync(join(cwd, 'none.yml'), 'other: value\n')
    const cases: [string[], Record<string, string>, string][] = [
      [
        ['debug'],
        { PRUNNER_JWT_SECRET: 'tooshort' },
        'invalid CLI config: jwt_secret must be at least 16 characters long',
      ],
      [
        ['debug', '--config', 'short.yml'],
        {},
        'invalid config: jwt_secret must be at least 16 characters long',
      ],
      [['debug', '--config', 'none.yml'], {}, 'invalid config: missing jwt_secret'],
    ]
    for (const [args, env, error] of cases) {
      const result = await runCli(args, { cwd, env })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toBe('')
      expect(logRecords(result.stderr)).toMatchObject([
        { level: 'fatal', msg: 'startup failed', error },
      ])
    }
  })

  test('loads env files for tasks, but their PRUNNER_ values do not configure prunner', async () => {
    const cwd = makeTempDir(dirs)
    writeFileSync(join(cwd, '.env'), `PRUNNER_JWT_SECRET=${SECRET}\n`)
    writeFileSync(join(cwd, '.env.local'), 'MINIMAL_OUTPUT=1\n')
    const result = await runCli(['debug'], { cwd })

    expect(result.exitCode).toBe(0)
    expect(result.stdout).toStartWith('Bearer ')
    const secret = readFileSync(join(cwd, '.prunner.yml'), 'utf8').slice('jwt_secret: '.length, -1)
    await expectValidToken(result.stdout.slice('Bearer '.length), secret, [0, nowSeconds()])
  })

  test('fails with file and line for a broken env file', async () => {
    const cwd = makeTempDir(dirs)
    writeFileSync(join(cwd, 'broken.env'), 'OK=1\nNOT OK=2\n')
    const result = await runCli(['debug', '--env-files', 'broken.env'], {
      cwd,
      env: { PRUNNER_JWT_SECRET: SECRET },
    })

    expect(result.exitCode).toBe(1)
    expect(logRecords(result.stderr)).toMatchObject([
      {
        msg: 'startup failed',
        error: 'loading env file broken.env: line 2: unexpected character " " in variable name',
      },
    ])
  })
})
