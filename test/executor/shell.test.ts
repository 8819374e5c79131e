import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findOnPath, resolveDefaultShell } from '../../src/executor/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prunner-shell-test-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function makeFile(relativePath: string, mode: number): string {
  const path = join(dir, relativePath)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, '#!/bin/sh\n')
  chmodSync(path, mode)
  return path
}

describe('findOnPath', () => {
  test('returns the absolute path of the first executable match on PATH', () => {
    makeFile('first/tool', 0o644)
    const second = makeFile('second/tool', 0o755)
    makeFile('third/tool', 0o755)
    const pathEnv = [join(dir, 'first'), join(dir, 'second'), join(dir, 'third')].join(':')

    expect(findOnPath('tool', pathEnv)).toBe(second)
  })

  test('returns undefined for a name on no PATH entry', () => {
    expect(findOnPath('no-such-tool', dir)).toBeUndefined()
    expect(findOnPath('sh', undefined)).toBeUndefined()
  })

  test('skips directories with the wanted name', () => {
    mkdirSync(join(dir, 'bin', 'tool'), { recursive: true })

    expect(findOnPath('tool', join(dir, 'bin'))).toBeUndefined()
  })

  test('checks a name with a slash as a path instead of searching PATH', () => {
    const tool = makeFile('bin/tool', 0o755)

    expect(findOnPath(tool, '')).toBe(tool)
    expect(findOnPath(join(dir, 'bin', 'missing'), join(dir, 'bin'))).toBeUndefined()
  })
})

describe('resolveDefaultShell', () => {
  test('uses the --shell value found on PATH', () => {
    const custom = makeFile('bin/custom-shell', 0o755)

    expect(resolveDefaultShell('custom-shell', join(dir, 'bin'))).toBe(custom)
    expect(resolveDefaultShell(custom, '')).toBe(custom)
  })

  test('rejects a --shell value that does not exist with CONFIG_INVALID', () => {
    let thrown: unknown
    try {
      resolveDefaultShell('no-such-shell', dir)
    } catch (error) {
      thrown = error
    }

    expect(thrown).toBeInstanceOf(PrunnerError)
    expect((thrown as PrunnerError).code).toBe('CONFIG_INVALID')
    expect((thrown as PrunnerError).message).toBe('shell "no-such-shell" not found')
  })

  test('prefers bash on PATH when no --shell is given', () => {
    const bash = makeFile('bin/bash', 0o755)

    expect(resolveDefaultShell(undefined, join(dir, 'bin'))).toBe(bash)
    expect(resolveDefaultShell('', join(dir, 'bin'))).toBe(bash)
  })

  test('falls back to /bin/sh when PATH has no bash', () => {
    expect(resolveDefaultShell(undefined, dir)).toBe('/bin/sh')
  })
})
