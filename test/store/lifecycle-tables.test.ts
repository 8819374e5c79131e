import { Database } from 'bun:sqlite'
import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { silentLogger } from '../../src/log/index.ts'
import { openStore, type Store } from '../../src/store/index.ts'
import { MIGRATIONS, migrate } from '../../src/store/migrations.ts'
import { makeJob, makeTempDir } from './store-helpers.ts'

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    cleanup()
  }
})

function openTemp(): { dir: string; store: Store } {
  const temp = makeTempDir()
  cleanups.push(temp.remove)
  const store = openStore({ dataDir: temp.dir, logger: silentLogger() })
  cleanups.push(() => store.close())
  return { dir: temp.dir, store }
}

describe('the data.json import mark', () => {
  test('is pending in a new database until an import, also an empty one, has run', () => {
    const { dir, store } = openTemp()
    expect(store.isDataJsonImportPending()).toBe(true)

    store.importJobs([])
    store.close()
    const reopened = openStore({ dataDir: dir, logger: silentLogger() })
    cleanups.push(() => reopened.close())

    expect(reopened.isDataJsonImportPending()).toBe(false)
  })

  test('stays pending across a restart when no import ran', () => {
    const { dir, store } = openTemp()
    store.close()

    const reopened = openStore({ dataDir: dir, logger: silentLogger() })
    cleanups.push(() => reopened.close())

    expect(reopened.isDataJsonImportPending()).toBe(true)
  })

  test('is never set on a database migrated from an older schema', () => {
    const temp = makeTempDir()
    cleanups.push(temp.remove)
    const db = new Database(join(temp.dir, 'prunner.db'))
    migrate({ db, logger: silentLogger(), migrations: MIGRATIONS.slice(0, 1) })
    db.close()

    const store = openStore({ dataDir: temp.dir, logger: silentLogger() })
    cleanups.push(() => store.close())

    expect(store.isNew).toBe(false)
    expect(store.isDataJsonImportPending()).toBe(false)
  })

  test('is cleared in the same transaction that writes the imported jobs', () => {
    const { store } = openTemp()
    const job = makeJob({ seq: 1 })

    expect(() => store.importJobs([job, { ...job, seq: 1, id: job.id.toUpperCase() }])).toThrow()
    expect(store.isDataJsonImportPending()).toBe(true)
    expect(store.loadJobs()).toEqual([])

    store.importJobs([job])
    expect(store.isDataJsonImportPending()).toBe(false)
    expect(store.loadJobs()).toEqual([job])
  })
})

describe('task process records', () => {
  const record = { pgid: 4242, jobId: 'j', task: 'build', startTicks: 99, bootId: 'b' }

  test('are kept across a reopen until forgotten', () => {
    const { dir, store } = openTemp()
    store.recordTaskProcess(record)
    store.recordTaskProcess({ ...record, pgid: 4243, task: 'test' })
    store.close()

    const reopened = openStore({ dataDir: dir, logger: silentLogger() })
    cleanups.push(() => reopened.close())
    expect(reopened.loadTaskProcesses()).toEqual([record, { ...record, pgid: 4243, task: 'test' }])

    reopened.forgetTaskProcess(4242)
    expect(reopened.loadTaskProcesses().map((r) => r.pgid)).toEqual([4243])
    reopened.clearTaskProcesses()
    expect(reopened.loadTaskProcesses()).toEqual([])
  })

  test('replace an older record of the same process group', () => {
    const { store } = openTemp()
    store.recordTaskProcess(record)
    store.recordTaskProcess({ ...record, startTicks: 500, task: 'later' })

    expect(store.loadTaskProcesses()).toEqual([{ ...record, startTicks: 500, task: 'later' }])
  })
})
