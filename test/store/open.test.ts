import { Database } from 'bun:sqlite'
import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { silentLogger } from '../../src/log/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'
import { openStore, type Store } from '../../src/store/index.ts'
import { capturingLogger, makeFullJob, makeJob, makeTempDir } from './store-helpers.ts'

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    cleanup()
  }
})

function tempDir(): string {
  const temp = makeTempDir()
  cleanups.push(temp.remove)
  return temp.dir
}

function open(dataDir: string, options: { lockTimeoutMs?: number } = {}): Store {
  const store = openStore({ dataDir, logger: silentLogger(), ...options })
  cleanups.push(() => store.close())
  return store
}

function caught(action: () => unknown): PrunnerError {
  try {
    action()
  } catch (error) {
    if (error instanceof PrunnerError) {
      return error
    }

    throw error
  }

  throw new Error('expected a PrunnerError, but nothing was thrown')
}

describe('a new database', () => {
  test('is created with mode 0600, in WAL mode, and its WAL file too', () => {
    const dir = tempDir()
    const store = open(dir)
    store.insertJob(makeJob(), [])

    expect(statSync(join(dir, 'prunner.db')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'prunner.db-wal')).mode & 0o777).toBe(0o600)
    store.close()
    const db = new Database(join(dir, 'prunner.db'), { readonly: true })
    expect(db.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    expect(db.query('PRAGMA user_version').get()).toEqual({ user_version: 2 })
    db.close()
  })

  test('is reported as new on first open only and logs the migration then', () => {
    const dir = tempDir()
    const first = capturingLogger()
    const store = openStore({ dataDir: dir, logger: first.logger })
    expect(store.isNew).toBe(true)
    store.close()

    const second = capturingLogger()
    const reopened = openStore({ dataDir: dir, logger: second.logger })
    cleanups.push(() => reopened.close())

    expect(reopened.isNew).toBe(false)
    expect(first.records).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'database migrated',
        fields: { from: 0, to: 2 },
      }),
    )
    expect(second.records.map((record) => record.msg)).not.toContain('database migrated')
  })

  test('replaces a 0-byte file', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'prunner.db'), '')

    const store = open(dir)
    store.insertJob(makeJob(), [])

    expect(store.isNew).toBe(true)
    expect(store.loadJobs()).toHaveLength(1)
  })

  test('fails with the file name when the directory does not exist', () => {
    const dir = join(tempDir(), 'missing')

    const error = caught(() => open(dir))

    expect(error.code).toBe('DATABASE')
    expect(error.message).toStartWith(`opening database ${join(dir, 'prunner.db')}: `)
  })
})

describe('schema versions', () => {
  test('refuses a database written by a newer prunner and leaves it in place', () => {
    const dir = tempDir()
    const file = join(dir, 'prunner.db')
    const db = new Database(file)
    db.run('CREATE TABLE future (x)')
    db.run('PRAGMA user_version = 7')
    db.close()

    const error = caught(() => open(dir))

    expect(error.code).toBe('DATABASE')
    expect(error.message).toBe('database schema version 7 is newer than this prunner supports (2)')
    expect(readdirSync(dir)).toEqual(['prunner.db'])
    // The failed open must not keep the lock.
    expect(caught(() => open(dir, { lockTimeoutMs: 100 })).message).toContain('newer')
  })
})

describe('an unreadable database', () => {
  test('of garbage bytes is refused with the file name and left untouched with its side files', () => {
    const dir = tempDir()
    const file = join(dir, 'prunner.db')
    const garbage = crypto.getRandomValues(new Uint8Array(8192))
    garbage.set(new TextEncoder().encode('not a database'))
    writeFileSync(file, garbage)
    writeFileSync(join(dir, 'prunner.db-wal'), 'wal')

    const error = caught(() => open(dir))

    expect(error.code).toBe('DATABASE')
    expect(error.message).toStartWith(`opening database ${file}: file is not a database; `)
    expect(error.message).toContain('left untouched')
    expect(readdirSync(dir).sort()).toEqual(['prunner.db', 'prunner.db-wal'])
    expect(new Uint8Array(readFileSync(file))).toEqual(garbage)
    expect(readFileSync(join(dir, 'prunner.db-wal'), 'utf8')).toBe('wal')
  })

  test('that fails its integrity check is refused and not replaced', () => {
    const dir = tempDir()
    const file = join(dir, 'prunner.db')
    const store = open(dir)
    for (let seq = 1; seq <= 200; seq++) {
      store.insertJob(makeFullJob({ id: crypto.randomUUID(), seq }), [])
    }
    store.close()
    // Keep the 100-byte header valid so SQLite opens the file, and wreck pages behind it.
    const bytes = readFileSync(file)
    bytes.fill(0x5a, 4096, bytes.length - 4096)
    writeFileSync(file, bytes)

    const error = caught(() => open(dir))

    expect(error.code).toBe('DATABASE')
    expect(error.message).toStartWith(`opening database ${file}: `)
    expect(error.message).toContain('restore it from a backup')
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([])
    expect(readFileSync(file).subarray(4096, 8192)).toEqual(bytes.subarray(4096, 8192))
  })
})

describe('exclusive hold in one process', () => {
  test('refuses a second open of the same data directory until the first is closed', () => {
    const dir = tempDir()
    const first = open(dir)

    const error = caught(() => open(dir, { lockTimeoutMs: 100 }))

    expect(error.code).toBe('DATABASE')
    expect(error.message).toBe(`data directory ${dir} is in use by another prunner process`)
    first.close()
    expect(open(dir, { lockTimeoutMs: 100 }).loadJobs()).toEqual([])
  })

  test('close can be called twice', () => {
    const store = open(tempDir())
    store.close()

    expect(() => store.close()).not.toThrow()
  })
})

test('keeps the modes of existing files', () => {
  const dir = tempDir()
  open(dir).close()

  expect(existsSync(join(dir, 'prunner.db'))).toBe(true)
  expect(statSync(join(dir, 'prunner.db')).mode & 0o777).toBe(0o600)
})
