import { afterEach, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { importDataJson, parseDataJson } from '../../src/lifecycle/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'
import { openStore, type Store } from '../../src/store/index.ts'
import { capturingLogger, makeTempDir } from '../store/store-helpers.ts'

// Shaped like the Go prunner's store.PersistedData as encoding/json writes it.
const GO_DATA = {
  Jobs: [
    {
      ID: 'B1B2C3D4-0000-4000-8000-000000000002',
      Pipeline: 'deploy',
      Completed: true,
      Created: '2024-03-01T12:00:05.123456789+02:00',
      Start: '2024-03-01T12:00:06+02:00',
      End: '2024-03-01T12:01:00+02:00',
      Variables: { tag: 'v1', count: 3 },
      User: 'alice',
      Unknown: 'ignored',
      Tasks: [
        {
          Name: 'build',
          Script: ['make'],
          Status: 'done',
          Start: '2024-03-01T10:00:06Z',
          End: '2024-03-01T10:00:30Z',
          ExitCode: -1,
        },
        {
          Name: 'ship',
          Script: ['rsync'],
          DependsOn: ['build'],
          AllowFailure: true,
          Status: 'error',
          Start: '2024-03-01T10:00:30Z',
          ExitCode: 3,
          Errored: true,
          Error: 'exit status 3',
          Skipped: false,
        },
      ],
    },
    {
      ID: 'a1b2c3d4-0000-4000-8000-000000000001',
      Pipeline: 'deploy',
      Created: '2024-03-01T09:00:00Z',
      Tasks: [{ Name: 'build', Script: ['make'] }],
    },
    {
      ID: 'c1b2c3d4-0000-4000-8000-000000000003',
      Pipeline: 'deploy',
      Created: '2024-03-01T11:00:00Z',
      Start: '2024-03-01T11:00:01Z',
      Tasks: [{ Name: 'build', Script: ['make'], Status: 'running' }],
    },
  ],
}

describe('reading a Go data.json', () => {
  test('orders jobs by Created, lowercases ids and converts times to UTC milliseconds', () => {
    const jobs = parseDataJson(JSON.stringify(GO_DATA))

    expect(jobs.map((job) => [job.seq, job.id])).toEqual([
      [1, 'a1b2c3d4-0000-4000-8000-000000000001'],
      [2, 'b1b2c3d4-0000-4000-8000-000000000002'],
      [3, 'c1b2c3d4-0000-4000-8000-000000000003'],
    ])
    const finished = jobs[1]
    expect(finished?.created).toBe(Date.UTC(2024, 2, 1, 10, 0, 5, 123))
    expect(finished?.start).toBe(Date.UTC(2024, 2, 1, 10, 0, 6))
    expect(finished?.end).toBe(Date.UTC(2024, 2, 1, 10, 1, 0))
    expect(finished?.variables).toEqual({ tag: 'v1', count: 3 })
    expect(finished?.user).toBe('alice')
    expect(finished?.completed).toBe(true)
  })

  test('keeps finished tasks as they were, except a done task with exit code -1 gets 0', () => {
    const finished = parseDataJson(JSON.stringify(GO_DATA))[1]

    expect(finished?.tasks).toEqual([
      {
        name: 'build',
        dependsOn: [],
        status: 'done',
        start: Date.UTC(2024, 2, 1, 10, 0, 6),
        end: Date.UTC(2024, 2, 1, 10, 0, 30),
        exitCode: 0,
        errored: false,
      },
      {
        name: 'ship',
        dependsOn: ['build'],
        status: 'error',
        start: Date.UTC(2024, 2, 1, 10, 0, 30),
        end: null,
        exitCode: 3,
        errored: true,
        error: 'exit status 3',
      },
    ])
    expect(finished?.snapshot.tasks[1]).toEqual({
      name: 'ship',
      script: ['rsync'],
      dependsOn: ['build'],
      allowFailure: true,
      env: {},
    })
  })

  test('cancels a queued job, which cannot run again, and leaves a started one for recovery', () => {
    const [queued, , started] = parseDataJson(JSON.stringify(GO_DATA))

    expect(queued).toMatchObject({
      canceled: true,
      completed: false,
      start: null,
      lastError: 'interrupted: prunner stopped before the job started',
    })
    expect(queued?.tasks.map((task) => task.status)).toEqual(['canceled'])
    expect(started).toMatchObject({ canceled: false, completed: false })
    expect(started?.lastError).toBeUndefined()
    expect(started?.tasks[0]?.status).toBe('running')
  })

  test('accepts a file without jobs', () => {
    expect(parseDataJson('{"Jobs":null}')).toEqual([])
    expect(parseDataJson('{}')).toEqual([])
  })

  test('rejects ids that are not UUIDs, since they name log directories', () => {
    const data = { Jobs: [{ ...GO_DATA.Jobs[1], ID: '../../etc' }] }

    expect(() => parseDataJson(JSON.stringify(data))).toThrow(
      'Jobs[0]: ID: "../../etc" is not a UUID',
    )
  })

  test('names the job and field of a bad value', () => {
    const data = { Jobs: [GO_DATA.Jobs[1], { ...GO_DATA.Jobs[1], Created: 'yesterday' }] }

    expect(() => parseDataJson(JSON.stringify(data))).toThrow(
      'Jobs[1]: Created: "yesterday" is not an RFC 3339 time',
    )
  })
})

describe('importing into a new database', () => {
  const cleanups: (() => void)[] = []

  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      cleanup()
    }
  })

  function openTemp(dir: string): Store {
    const store = openStore({ dataDir: dir, logger: silentLogger() })
    cleanups.push(() => store.close())
    return store
  }

  function tempDir(): string {
    const temp = makeTempDir()
    cleanups.push(temp.remove)
    return temp.dir
  }

  test('imports once, logs the count and leaves data.json unchanged', () => {
    const dir = tempDir()
    const text = JSON.stringify(GO_DATA)
    writeFileSync(join(dir, 'data.json'), text)
    const store = openTemp(dir)
    const { logger, records } = capturingLogger()

    importDataJson({ store, dataDir: dir, logger })
    importDataJson({ store, dataDir: dir, logger })

    expect(store.loadJobs()).toHaveLength(3)
    expect(records.filter((record) => record.msg === 'imported jobs from data.json')).toEqual([
      expect.objectContaining({ fields: { count: 3 } }),
    ])
    expect(readFileSync(join(dir, 'data.json'), 'utf8')).toBe(text)
  })

  test('does not import a data.json that appears after the database was created', () => {
    const dir = tempDir()
    const store = openTemp(dir)
    importDataJson({ store, dataDir: dir, logger: silentLogger() })
    writeFileSync(join(dir, 'data.json'), JSON.stringify(GO_DATA))

    importDataJson({ store, dataDir: dir, logger: silentLogger() })

    expect(store.loadJobs()).toEqual([])
  })

  test('fails on an invalid file, writes nothing and tries again next time', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'data.json'), '{"Jobs": [')
    const store = openTemp(dir)

    let error: unknown
    try {
      importDataJson({ store, dataDir: dir, logger: silentLogger() })
    } catch (caught) {
      error = caught
    }

    expect(error).toBeInstanceOf(PrunnerError)
    expect((error as Error).message).toStartWith('importing data.json: ')
    expect(store.isDataJsonImportPending()).toBe(true)
    writeFileSync(join(dir, 'data.json'), JSON.stringify(GO_DATA))
    importDataJson({ store, dataDir: dir, logger: silentLogger() })
    expect(store.loadJobs()).toHaveLength(3)
  })
})
