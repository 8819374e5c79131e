import { afterEach, expect, test } from 'bun:test'
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PrunnerError } from '../../src/shared/errors.ts'
import { prepareDataDir } from '../../src/store/index.ts'
import { makeTempDir } from './store-helpers.ts'

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) {
    cleanup()
  }
})

function tempDir(): string {
  const temp = makeTempDir()
  cleanups.push(temp.remove)
  return temp.dir
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777
}

test('creates the data directory and its logs directory with mode 0700', () => {
  const dataDir = join(tempDir(), 'nested', '.prunner')

  prepareDataDir(dataDir)

  expect(modeOf(dataDir)).toBe(0o700)
  expect(modeOf(join(dataDir, 'logs'))).toBe(0o700)
})

test('leaves existing directories and their modes alone', () => {
  const dataDir = tempDir()
  chmodSync(dataDir, 0o755)
  mkdirSync(join(dataDir, 'logs'), { mode: 0o750 })
  chmodSync(join(dataDir, 'logs'), 0o750)

  prepareDataDir(dataDir)

  expect(modeOf(dataDir)).toBe(0o755)
  expect(modeOf(join(dataDir, 'logs'))).toBe(0o750)
})

test('creates a missing logs directory inside an existing data directory', () => {
  const dataDir = tempDir()

  prepareDataDir(dataDir)

  expect(modeOf(join(dataDir, 'logs'))).toBe(0o700)
})

test('fails with DATA_DIR when the data directory is a file', () => {
  const dataDir = join(tempDir(), 'data')
  writeFileSync(dataDir, 'not a directory')

  expect(() => prepareDataDir(dataDir)).toThrow(
    new PrunnerError('DATA_DIR', `creating data directory ${dataDir}: not a directory`),
  )
})

test('fails with DATA_DIR and the reason when a parent is a file', () => {
  const parent = join(tempDir(), 'file')
  writeFileSync(parent, '')
  const dataDir = join(parent, 'data')

  let caught: unknown
  try {
    prepareDataDir(dataDir)
  } catch (error) {
    caught = error
  }

  expect(caught).toBeInstanceOf(PrunnerError)
  expect(caught).toMatchObject({ code: 'DATA_DIR' })
  expect((caught as Error).message).toStartWith(`creating data directory ${dataDir}: `)
  expect((caught as Error).message).toContain('ENOTDIR')
})
