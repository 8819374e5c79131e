import { Database } from 'bun:sqlite'
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { PrunnerError } from '../../src/shared/errors.ts'
import { MIGRATIONS, migrate, readUserVersion } from '../../src/store/migrations.ts'
import { capturingLogger } from './store-helpers.ts'

const STEPS = [
  'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)',
  "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'",
]

let db: Database

beforeEach(() => {
  db = new Database(':memory:', { strict: true })
})

afterEach(() => {
  db.close(true)
})

test('applies every step to an empty database and records the version', () => {
  const { logger, records } = capturingLogger()

  migrate({ db, logger, migrations: STEPS })

  expect(readUserVersion(db)).toBe(2)
  expect(records).toEqual([
    expect.objectContaining({
      level: 'info',
      msg: 'database migrated',
      fields: { from: 0, to: 2 },
    }),
  ])
})

test('migrates an older schema forward and keeps its rows', () => {
  migrate({ db, logger: capturingLogger().logger, migrations: STEPS.slice(0, 1) })
  db.run("INSERT INTO things (name) VALUES ('kept')")

  migrate({ db, logger: capturingLogger().logger, migrations: STEPS })

  expect(db.query('SELECT name, colour FROM things').all()).toEqual([
    { name: 'kept', colour: 'blue' },
  ])
  expect(readUserVersion(db)).toBe(2)
})

test('rolls back every step when a later one fails', () => {
  const broken = [STEPS[0] ?? '', 'CREATE TABLE things (id INTEGER)']

  expect(() => migrate({ db, logger: capturingLogger().logger, migrations: broken })).toThrow()

  expect(readUserVersion(db)).toBe(0)
  expect(db.query("SELECT name FROM sqlite_master WHERE name = 'things'").all()).toEqual([])
})

test('refuses a schema newer than the steps it knows', () => {
  db.run('PRAGMA user_version = 5')

  const attempt = () => migrate({ db, logger: capturingLogger().logger, migrations: STEPS })

  expect(attempt).toThrow(
    new PrunnerError(
      'DATABASE',
      'database schema version 5 is newer than this prunner supports (2)',
    ),
  )
})

test('does nothing and logs nothing when the schema is current', () => {
  migrate({ db, logger: capturingLogger().logger, migrations: STEPS })
  const { logger, records } = capturingLogger()

  migrate({ db, logger, migrations: STEPS })

  expect(records).toEqual([])
})

test('creates the job, task, meta and task process tables with the shipped steps', () => {
  migrate({ db, logger: capturingLogger().logger })

  const tables = db
    .query<{ name: string }, []>(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    )
    .all()
  expect(tables.map((table) => table.name)).toEqual(['jobs', 'meta', 'task_processes', 'tasks'])
  expect(readUserVersion(db)).toBe(MIGRATIONS.length)
})
