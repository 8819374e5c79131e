import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { silentLogger } from '../../src/log/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'
import { openStore, type Store } from '../../src/store/index.ts'
import { capturingLogger, makeFullJob, makeJob, makeTask, makeTempDir } from './store-helpers.ts'

let temp: ReturnType<typeof makeTempDir>
let store: Store

beforeEach(() => {
  temp = makeTempDir()
  store = openStore({ dataDir: temp.dir, logger: silentLogger() })
})

afterEach(() => {
  store.close()
  temp.remove()
})

function reopen(): Store {
  store.close()
  store = openStore({ dataDir: temp.dir, logger: silentLogger() })
  return store
}

describe('round trip', () => {
  test('loads back every field of a job exactly as it was saved', () => {
    const job = makeFullJob()
    store.insertJob(job, [])

    expect(reopen().loadJobs()).toStrictEqual([job])
  })

  test('keeps optional fields absent when they were absent', () => {
    const job = makeJob()
    store.insertJob(job, [])

    const [loaded] = reopen().loadJobs()
    expect(loaded).toStrictEqual(job)
    expect(loaded).not.toContainAnyKeys(['lastError', 'variables'])
    expect(loaded?.snapshot).not.toContainKeys(['shell', 'onError'])
    expect(loaded?.tasks[0]).not.toContainKey('error')
  })

  test('keeps an empty lastError apart from an absent one', () => {
    const job = makeJob({ lastError: '', variables: {} })
    store.insertJob(job, [])

    expect(reopen().loadJobs()).toStrictEqual([job])
  })

  test('stores exit codes beyond 32 bits and negative ones in full', () => {
    const codes = [-1, 137, 2 ** 31, -(2 ** 40), Number.MAX_SAFE_INTEGER]
    const job = makeJob({
      tasks: codes.map((exitCode, index) => makeTask({ name: `t${index}`, exitCode })),
    })
    store.insertJob(job, [])

    expect(
      reopen()
        .loadJobs()[0]
        ?.tasks.map((task) => task.exitCode),
    ).toEqual(codes)
  })
})

describe('ordering', () => {
  test('returns jobs in acceptance order whatever order they were written in', () => {
    for (const seq of [3, 1, 2]) {
      store.insertJob(makeJob({ seq, created: 1_000 }), [])
    }

    expect(store.loadJobs().map((job) => job.seq)).toEqual([1, 2, 3])
  })

  test('returns tasks in their stored position order, not by name', () => {
    const names = ['zeta', 'alpha', 'mid', 'on_error']
    store.insertJob(makeJob({ tasks: names.map((name) => makeTask({ name })) }), [])

    expect(
      reopen()
        .loadJobs()[0]
        ?.tasks.map((task) => task.name),
    ).toEqual(names)
  })
})

describe('saveJob', () => {
  test('writes variables and the snapshot only once, when the job is first stored', () => {
    const job = makeJob({ variables: { tag: 'v1' } })
    store.insertJob(job, [])

    store.saveJob({ ...job, start: 5_000, variables: { tag: 'changed' } })

    const [loaded] = store.loadJobs()
    expect(loaded?.start).toBe(5_000)
    expect(loaded?.variables).toEqual({ tag: 'v1' })
  })

  test('updates the job and its tasks in place', () => {
    const second = makeTask({ name: 'b', dependsOn: ['a'] })
    const job = makeJob({ tasks: [makeTask({ name: 'a' }), second] })
    store.insertJob(job, [])

    const running = {
      ...job,
      start: 5_000,
      tasks: [makeTask({ name: 'a', status: 'running', start: 5_000 }), second],
    }
    store.saveJob(running)

    expect(reopen().loadJobs()).toStrictEqual([running])
  })

  test('appends the on_error task when the handler starts', () => {
    const job = makeJob()
    store.insertJob(job, [])

    const withHandler = { ...job, tasks: [...job.tasks, makeTask({ name: 'on_error' })] }
    store.saveJob(withHandler)

    expect(store.loadJobs()[0]?.tasks.map((task) => task.name)).toEqual(['build', 'on_error'])
  })

  test('drops the rows of tasks that are no longer in the list', () => {
    const job = makeJob({ tasks: ['a', 'b', 'c'].map((name) => makeTask({ name })) })
    store.insertJob(job, [])

    store.saveJob({ ...job, tasks: [makeTask({ name: 'a' })] })

    expect(
      reopen()
        .loadJobs()[0]
        ?.tasks.map((task) => task.name),
    ).toEqual(['a'])
  })

  test('inserts a job that was never stored', () => {
    const job = makeFullJob()
    store.saveJob(job)

    expect(store.loadJobs()).toStrictEqual([job])
  })
})

describe('insertJob', () => {
  test('saves the jobs it replaces together with the new job', () => {
    const waiting = makeJob({ seq: 1 })
    store.insertJob(waiting, [])

    const newcomer = makeJob({ seq: 2 })
    const replaced = { ...waiting, canceled: true, lastError: `replaced by job ${newcomer.id}` }
    store.insertJob(newcomer, [replaced])

    expect(reopen().loadJobs()).toStrictEqual([replaced, newcomer])
  })

  test('rolls back the new job when saving a replaced job fails', () => {
    const { logger, records } = capturingLogger()
    store.close()
    store = openStore({ dataDir: temp.dir, logger })
    const first = makeJob({ seq: 1 })
    const second = makeJob({ seq: 2 })
    store.insertJob(first, [])
    store.insertJob(second, [])

    // A replaced job the store does not know yet is inserted; reusing seq 1 breaks its
    // uniqueness, so the write fails after the new job's rows.
    const broken = { ...makeJob({ seq: 1 }), canceled: true }
    const code = errorCode(() => store.insertJob(makeJob({ seq: 3 }), [broken]))

    expect(code).toBe('STORE_FAILED')
    expect(store.loadJobs()).toStrictEqual([first, second])
    expect(records.filter((record) => record.level === 'error')).toEqual([
      expect.objectContaining({
        msg: 'persisting state failed',
        fields: { error: expect.stringContaining('UNIQUE') },
      }),
    ])
  })

  test('refuses to insert a job id twice', () => {
    const job = makeJob()
    store.insertJob(job, [])

    expect(errorCode(() => store.insertJob({ ...job, seq: 2 }, []))).toBe('STORE_FAILED')
    expect(store.loadJobs()).toStrictEqual([job])
  })
})

describe('saveJobs', () => {
  test('writes nothing when one of the jobs fails', () => {
    const stored = makeJob({ seq: 1 })
    store.insertJob(stored, [])

    const fresh = makeJob({ seq: 2 })
    const clash = makeJob({ seq: 1 })
    expect(errorCode(() => store.saveJobs([fresh, clash]))).toBe('STORE_FAILED')

    expect(store.loadJobs()).toStrictEqual([stored])
  })

  test('writes every job in the list', () => {
    const jobs = [makeJob({ seq: 1 }), makeFullJob({ seq: 2 })]
    store.saveJobs(jobs)

    expect(reopen().loadJobs()).toStrictEqual(jobs)
  })
})

describe('deleteJob', () => {
  test('removes the job and its task rows and leaves other jobs alone', () => {
    const doomed = makeFullJob({ seq: 1 })
    const kept = makeJob({ seq: 2 })
    store.insertJob(doomed, [])
    store.insertJob(kept, [])

    store.deleteJob(doomed.id)

    expect(reopen().loadJobs()).toStrictEqual([kept])
    // Stale task rows would show up under a new job with the same id.
    const again = makeJob({ id: doomed.id, seq: 3, tasks: [] })
    store.insertJob(again, [])
    expect(store.loadJobs()[1]?.tasks).toEqual([])
  })

  test('does nothing for an unknown id', () => {
    const job = makeJob()
    store.insertJob(job, [])

    store.deleteJob(crypto.randomUUID())

    expect(store.loadJobs()).toStrictEqual([job])
  })
})

function errorCode(action: () => void): string | undefined {
  try {
    action()
  } catch (error) {
    return error instanceof PrunnerError ? error.code : 'not a PrunnerError'
  }

  return undefined
}
