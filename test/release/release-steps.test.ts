import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  compileCommand,
  formatChecksums,
  resolveVersion,
  selectTargets,
  sha256File,
} from '../../scripts/release/index.ts'

describe('checksums', () => {
  test('sha256File hashes the whole file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prunner-checksum-'))
    try {
      const data = Buffer.alloc(3_000_000, 'abc')
      writeFileSync(join(dir, 'f'), data)

      const expected = createHash('sha256').update(data).digest('hex')
      expect(await sha256File(join(dir, 'f'))).toBe(expected)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('checksums.txt lists each archive as sha256sum prints it, sorted by name', () => {
    const text = formatChecksums([
      { name: 'prunner_2.0.0_Windows_x86_64.zip', sha256: 'b'.repeat(64) },
      { name: 'prunner_2.0.0_Darwin_arm64.tar.gz', sha256: 'a'.repeat(64) },
    ])

    expect(text).toBe(
      `${'a'.repeat(64)}  prunner_2.0.0_Darwin_arm64.tar.gz\n` +
        `${'b'.repeat(64)}  prunner_2.0.0_Windows_x86_64.zip\n`,
    )
  })
})

describe('version', () => {
  test('the flag wins over RELEASE_VERSION and a leading v is dropped', async () => {
    expect(await resolveVersion('v2.1.0', { RELEASE_VERSION: '9.9.9' })).toBe('2.1.0')
    expect(await resolveVersion(undefined, { RELEASE_VERSION: 'v2.0.0-rc.1' })).toBe('2.0.0-rc.1')
    expect(await resolveVersion('dev', {})).toBe('dev')
  })

  test('anything but a semantic version stops the release', async () => {
    await expect(resolveVersion('main', {})).rejects.toThrow(
      'invalid version "main": expected a semantic version such as 2.0.0',
    )
  })
})

describe('compile command', () => {
  test('stamps the version and keeps the flags a working binary needs', () => {
    const [target] = selectTargets(['darwin-arm64'])
    if (target === undefined) {
      throw new Error('target missing')
    }

    const command = compileCommand({ target, version: '2.0.0', outfile: 'out/prunner', bun: 'bun' })

    expect(command.slice(0, 3)).toEqual(['bun', 'build', '--compile'])
    expect(command.slice(-3)).toEqual(['src/main.ts', '--outfile', 'out/prunner'])
    for (const flag of [
      '--target=bun-darwin-arm64',
      '--bytecode',
      '--format=esm',
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
    ]) {
      expect(command).toContain(flag)
    }
    const define = command.indexOf('--define')
    expect(command[define + 1]).toBe('PRUNNER_VERSION="2.0.0"')
    expect(command).not.toContain('--minify')
  })
})
