import type { Database } from 'bun:sqlite'
import type { Logger } from '../log/index.ts'
import { PrunnerError } from '../shared/errors.ts'

/**
 * Schema steps in order: entry i brings `user_version` i to i + 1. Append new steps; never edit
 * a released one, because databases in the field have already run it.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    seq INTEGER NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    start_ms INTEGER,
    end_ms INTEGER,
    completed INTEGER NOT NULL,
    canceled INTEGER NOT NULL,
    last_error TEXT,
    variables_json TEXT,
    user_name TEXT NOT NULL,
    queue_partition TEXT NOT NULL,
    snapshot_json TEXT NOT NULL
  );
  CREATE TABLE tasks (
    job_id TEXT NOT NULL REFERENCES jobs (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    depends_on_json TEXT NOT NULL,
    status TEXT NOT NULL,
    start_ms INTEGER,
    end_ms INTEGER,
    exit_code INTEGER NOT NULL,
    errored INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (job_id, position)
  );
  `,
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
  );
  CREATE TABLE task_processes (
    pgid INTEGER PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL,
    task TEXT NOT NULL,
    start_ticks INTEGER NOT NULL,
    boot_id TEXT NOT NULL
  );
  `,
]

/**
 * Rows a database gets when this prunner creates it (schema version 0 before migrating): only a
 * new database may import a Go `data.json` (SPEC §9.7), and the mark is written in the migration's
 * transaction so a crash cannot leave a new database without it.
 */
export const NEW_DATABASE_ROWS = `INSERT INTO meta (key, value) VALUES ('data_json_import', 'pending')`

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings the schema to the newest version in one transaction, so a crash mid-way leaves the old
 * version intact. Refuses a database written by a newer prunner rather than guessing its layout.
 */
export function migrate(options: {
  db: Database
  logger: Logger
  migrations?: readonly string[]
  /** SQL run in the same transaction when the database had no schema yet. */
  newDatabaseSql?: string
}): void {
  const { db, logger, migrations = MIGRATIONS, newDatabaseSql } = options
  const current = readUserVersion(db)
  const target = migrations.length
  if (current > target) {
    throw new PrunnerError(
      'DATABASE',
      `database schema version ${current} is newer than this prunner supports (${target})`,
    )
  }

  if (current === target) {
    return
  }

  db.transaction(() => {
    for (const step of migrations.slice(current)) {
      db.run(step)
    }

    if (current === 0 && newDatabaseSql !== undefined) {
      db.run(newDatabaseSql)
    }

    // PRAGMA takes no bound parameters; `target` is a small integer we computed.
    db.run(`PRAGMA user_version = ${target}`)
  })()
  logger.info('database migrated', { from: current, to: target })
}

export function readUserVersion(db: Database): number {
  const row = db.query<{ user_version: number }, []>('PRAGMA user_version').get()
  return row?.user_version ?? 0
}
