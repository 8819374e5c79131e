import { afterEach, describe, expect, test } from 'bun:test'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Config, generateSecret, parseArgs, resolveSecret } from '../../src/config/index.ts'
import { Logger, type LogRecord, silentLogger } from '../../src/log/index.ts'

const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

function configFor(configFile: string, jwtSecret?: string): Config {
  const env = jwtSecret === undefined ? {} : { PRUNNER_JWT_SECRET: jwtSecret }
  return parseArgs(['--config', configFile], env).config
}

function tempFile(name: string, text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'prunner-secret-'))
  dirs.push(dir)
  const file = join(dir, name)
  if (text !== undefined) {
    writeFileSync(file, text)
  }
  return file
}

describe('resolveSecret', () => {
  test('uses a long enough CLI secret without touching the config file', async () => {
    const file = tempFile('.prunner.yml')
    const secret = await resolveSecret(configFor(file, 'x'.repeat(16)), silentLogger())

    expect(secret).toBe('x'.repeat(16))
    expect(() => statSync(file)).toThrow()
  })

  test('rejects a CLI secret shorter than 16 bytes', async () => {
    const promise = resolveSecret(configFor(tempFile('c.yml'), 'short'), silentLogger())

    await expect(promise).rejects.toThrow(
      'invalid CLI config: jwt_secret must be at least 16 characters long',
    )
  })

  test('creates a missing config file with a 32-character secret and mode 0600', async () => {
    const file = tempFile('.prunner.yml')
    const records: LogRecord[] = []
    const logger = new Logger({ sink: (record) => records.push(record) })

    const secret = await resolveSecret(configFor(file), logger)

    expect(secret).toMatch(/^[0-9A-Za-z]{32}$/)
    expect(readFileSync(file, 'utf8')).toBe(`jwt_secret: ${secret}\n`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(records).toMatchObject([{ level: 'info', msg: 'config file created', fields: { file } }])
  })

  test('reads the literal text of jwt_secret and ignores other keys', async () => {
    const file = tempFile('c.yml', 'other: 1\njwt_secret: 01234567890123456789\n')

    expect(await resolveSecret(configFor(file), silentLogger())).toBe('01234567890123456789')
  })

  test('never changes the permissions of an existing config file', async () => {
    const file = tempFile('c.yml', 'jwt_secret: "a quoted secret value"\n')
    chmodSync(file, 0o644)

    expect(await resolveSecret(configFor(file), silentLogger())).toBe('a quoted secret value')
    expect(statSync(file).mode & 0o777).toBe(0o644)
  })

  test('reports a missing, null or empty jwt_secret the same way', async () => {
    for (const text of ['', '# only a comment\n', 'x: 1\n', 'jwt_secret:\n', 'jwt_secret: ~\n']) {
      const promise = resolveSecret(configFor(tempFile('c.yml', text)), silentLogger())
      await expect(promise).rejects.toThrow('invalid config: missing jwt_secret')
    }
  })

  test('rejects a short secret from the config file', async () => {
    const promise = resolveSecret(configFor(tempFile('c.yml', 'jwt_secret: abc\n')), silentLogger())

    await expect(promise).rejects.toThrow(
      'invalid config: jwt_secret must be at least 16 characters long',
    )
  })

  test('reports YAML errors as decoding errors', async () => {
    for (const text of ['jwt_secret: [\n', 'jwt_secret: a\njwt_secret: b\n', '- a\n']) {
      const promise = resolveSecret(configFor(tempFile('c.yml', text)), silentLogger())
      await expect(promise).rejects.toThrow(/^decoding config: /)
    }
  })

  test('reports a missing parent directory when creating the file', async () => {
    const file = join(tempFile('unused'), 'no-such-dir', 'c.yml')
    const promise = resolveSecret(configFor(file), silentLogger())

    await expect(promise).rejects.toThrow(
      `creating config file: open ${file}: no such file or directory`,
    )
  })
})

describe('generateSecret', () => {
  test('draws every character of [0-9A-Za-z] and nothing else', () => {
    const seen = new Set<string>()
    for (let round = 0; round < 200; round++) {
      for (const char of generateSecret()) {
        seen.add(char)
      }
    }

    expect([...seen].sort().join('')).toBe(
      '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    )
  })
})
