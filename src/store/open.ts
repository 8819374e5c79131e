import { Database, SQLiteError } from 'bun:sqlite'
import { closeSync, fchmodSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import { SqliteStore } from './job-store.ts'
import { migrate, NEW_DATABASE_ROWS, readUserVersion } from './migrations.ts'
import type { OpenStoreOptions, Store } from './types.ts'

export const DATABASE_FILE = 'prunner.db'

const DEFAULT_LOCK_TIMEOUT_MS = 10_000

/**
 * Opens `<dataDir>/prunner.db` for this process alone (SPEC §9.2, §9.4). A file that is not a
 * usable SQLite database is an error naming the file; it is never moved or replaced, because it
 * may hold the only record of finished jobs (issue 5 overrides SPEC §9.4 here). The returned store
 * holds the lock until `close()`; bun:sqlite also closes a database that is garbage-collected, so
 * keep the store referenced for as long as prunner runs.
 */
export function openStore(options: OpenStoreOptions): Store {
  const { dataDir, logger, lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS } = options
  const file = join(dataDir, DATABASE_FILE)
  try {
    return openDatabase({ file, dataDir, logger, lockTimeoutMs })
  } catch (error) {
    if (error instanceof UnreadableDatabaseError) {
      throw unreadableError(file, error)
    }

    throw error
  }
}

/** Thrown inside this module only: the file exists but is not a usable SQLite database. */
class UnreadableDatabaseError extends Error {}

interface OpenTarget {
  file: string
  dataDir: string
  logger: Logger
  lockTimeoutMs: number
}

function openDatabase(target: OpenTarget): Store {
  const { file, logger } = target
  createPrivateFile(file)
  checkHeader(file)

  let db: Database
  try {
    db = new Database(file, { readwrite: true, create: true, strict: true })
  } catch (error) {
    throw openError(file, error)
  }

  try {
    lockDatabase(db, target.lockTimeoutMs)
    checkIntegrity(db)
    db.run('PRAGMA journal_mode = WAL')
    db.run('PRAGMA synchronous = FULL')

    // The schema version, not the file's existence, tells whether the database is new: an
    // earlier start may have created the file and failed before migrating it.
    const isNew = readUserVersion(db) === 0
    migrate({ db, logger, newDatabaseSql: NEW_DATABASE_ROWS })
    return new SqliteStore({ db, logger, isNew })
  } catch (error) {
    closeQuietly(db)
    throw classifyOpenError(error, target)
  }
}

// Exclusive locking mode keeps every lock a connection takes until it closes, so the empty
// write transaction leaves an exclusive lock on the file: any other process then gets
// SQLITE_BUSY on its first statement (STACK.md). busy_timeout makes our own first statement
// wait for a previous holder instead. Set before the first WAL access, it also keeps the WAL
// index in memory, so no -shm file is created.
function lockDatabase(db: Database, lockTimeoutMs: number): void {
  db.run(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(lockTimeoutMs))}`)
  db.run('PRAGMA locking_mode = EXCLUSIVE')
  db.run('BEGIN EXCLUSIVE')
  db.run('COMMIT')
}

// Called on a failed open: the failure is what the caller must see, and a connection that
// cannot even close holds nothing we could release.
function closeQuietly(db: Database): void {
  try {
    db.close(true)
  } catch {
    // Intentionally ignored: see above.
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

// Judged before SQLite opens the file, so a file that is not a database at all is not even opened
// for writing. An empty file is a new database.
function checkHeader(file: string): void {
  const header = Buffer.alloc(SQLITE_MAGIC.length)
  let length: number
  try {
    const fd = openSync(file, 'r')
    try {
      length = readSync(fd, header, 0, header.length, 0)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    throw openError(file, error)
  }

  if (length > 0 && !header.equals(SQLITE_MAGIC)) {
    throw new UnreadableDatabaseError('file is not a database')
  }
}

function checkIntegrity(db: Database): void {
  const rows = db.query<{ integrity_check: string }, []>('PRAGMA integrity_check').all()
  const problems = rows.map((row) => row.integrity_check).filter((text) => text !== 'ok')
  if (problems.length > 0) {
    throw new UnreadableDatabaseError(`integrity check failed: ${problems.slice(0, 3).join('; ')}`)
  }
}

function classifyOpenError(error: unknown, target: OpenTarget): Error {
  if (error instanceof PrunnerError || error instanceof UnreadableDatabaseError) {
    return error
  }

  const code = error instanceof SQLiteError ? (error.code ?? '') : ''
  if (code.startsWith('SQLITE_BUSY')) {
    return new PrunnerError(
      'DATABASE',
      `data directory ${target.dataDir} is in use by another prunner process`,
      { cause: error },
    )
  }

  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new UnreadableDatabaseError(errorMessage(error), { cause: error })
  }

  return openError(target.file, error)
}

// SQLite gives the -wal file the mode of the database file, so creating the file ourselves
// with 0600 covers both (SPEC §9.1). An existing file, empty or not, keeps its mode.
function createPrivateFile(file: string): void {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) {
      return
    }

    throw openError(file, error)
  }

  try {
    // The umask may have cleared bits we asked for, never added any; set the mode exactly.
    fchmodSync(fd, 0o600)
  } finally {
    closeSync(fd)
  }
}

// The operator has to decide what happens to the file, so the message says what to do.
function unreadableError(file: string, error: UnreadableDatabaseError): PrunnerError {
  return new PrunnerError(
    'DATABASE',
    `opening database ${file}: ${error.message}; the file was left untouched: restore it from a ` +
      'backup, or move it (with its -wal file) out of the data directory to start with an empty ' +
      'database',
    { cause: error },
  )
}

function openError(file: string, error: unknown): PrunnerError {
  return new PrunnerError('DATABASE', `opening database ${file}: ${errorMessage(error)}`, {
    cause: error,
  })
}

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code
}
