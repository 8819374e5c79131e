import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PipelineDefinition } from '../../src/definition/types.ts'
import { Logger, type LogRecord } from '../../src/log/index.ts'
import { type JobState, Scheduler, type SchedulerHooks } from '../../src/scheduler/index.ts'
import { makePipeline } from '../helpers/definitions.ts'
import { waitFor } from '../helpers/wait.ts'

const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('scheduler wait-list processing', () => {
  test('starts each restored job once when jobs without tasks complete inside the start', () => {
    const { scheduler, records } = makeScheduler(pipeline({ concurrency: 2 }))
    scheduler.restore([queuedJob('a', 1), queuedJob('b', 2), queuedJob('c', 3)])
    scheduler.processAllWaitLists()

    const started = records.filter((r) => r.msg === 'job started').map((r) => r.fields.jobId)
    expect(started).toEqual(['a', 'b', 'c'])
    expect(scheduler.listJobs().every((job) => job.completed && !job.canceled)).toBe(true)
    expect(scheduler.counts()).toEqual({ running: 0, queued: 0 })
  })

  test('starts nothing from the wait list while shutting down', async () => {
    const { scheduler, records } = makeScheduler(pipeline())
    scheduler.restore([queuedJob('a', 1)])
    await scheduler.shutdown('graceful')
    scheduler.processAllWaitLists()

    expect(records.some((r) => r.msg === 'job started')).toBe(false)
    expect(scheduler.counts()).toEqual({ running: 0, queued: 1 })
  })

  test('keeps a restored job delayed for the rest of its delay, counted from creation', async () => {
    const created = Date.now() - 60_000
    const { scheduler, records } = makeScheduler(pipeline({ startDelayMs: 3_600_000 }))
    scheduler.restore([
      queuedJob('late', 1, { created, startDelayMs: 3_600_000 }),
      queuedJob('due', 2, { created, startDelayMs: 30_000 }),
    ])
    scheduler.processAllWaitLists()

    const started = records.filter((r) => r.msg === 'job started').map((r) => r.fields.jobId)
    expect(started).toEqual(['due'])
    expect(scheduler.counts().queued).toBe(1)
    await scheduler.shutdown('forced')
  })
})

describe('scheduler persistence', () => {
  test('commits every change of one turn in one transaction before any timer or I/O runs', async () => {
    const store = new MapStore()
    const { scheduler } = makeScheduler(pipeline(), Date.now, store)
    const { jobId } = await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    const seenByTimer = await new Promise<JobState | undefined>((resolve) =>
      setTimeout(() => resolve(store.jobs.get(jobId)), 0),
    )

    expect(store.inserts).toBe(1)
    expect(store.batches).toBe(1)
    expect(seenByTimer?.completed).toBe(true)
    expect(seenByTimer?.start).not.toBeNull()
  })

  test('never writes a removed job back from a pending change', async () => {
    const store = new MapStore()
    const { scheduler } = makeScheduler(pipeline(), Date.now, store)
    const { jobId } = await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    expect(scheduler.removeJob(jobId)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 0))

    expect(store.jobs.has(jobId)).toBe(false)
    expect(scheduler.getJob(jobId)).toBeUndefined()
  })
})

const ONE_TASK = [{ name: 't', script: ['true'], dependsOn: [], allowFailure: false, env: {} }]

describe('scheduler commits before side effects', () => {
  test('stores the start of a job and of its task before the task shell is spawned', async () => {
    const store = new MapStore()
    let storedAtSpawn: JobState | undefined
    const { scheduler } = makeScheduler(pipeline({ tasks: ONE_TASK }), Date.now, store, {
      onTaskSpawned: (job) => {
        storedAtSpawn = structuredClone(store.jobs.get(job.id))
      },
    })
    const { jobId } = await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    await waitFor(() => scheduler.getJob(jobId)?.completed, { what: 'the job to complete' })

    expect(storedAtSpawn?.start).not.toBeNull()
    expect(storedAtSpawn?.tasks[0]?.status).toBe('running')
  })

  test('starts no queued job while commits fail, and starts it once the store works again', async () => {
    const store = new MapStore()
    const { scheduler } = makeScheduler(pipeline({ tasks: ONE_TASK }), Date.now, store)
    store.isFailing = true
    const first = await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    const second = await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    await waitFor(() => scheduler.getJob(first.jobId)?.completed, { what: 'the first job' })

    expect(scheduler.getJob(second.jobId)?.start).toBeNull()
    store.isFailing = false
    await waitFor(() => store.jobs.get(second.jobId)?.completed, { what: 'the second job' })
  })
})

describe('scheduler after a failed commit', () => {
  test('keeps a job whose last change is not stored yet from being removed, and retries', async () => {
    const store = new MapStore()
    const { scheduler } = makeScheduler(pipeline(), Date.now, store)
    store.isFailing = true
    const { jobId } = await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    await Promise.resolve()

    expect(store.jobs.get(jobId)?.completed).toBe(false)
    expect(scheduler.removeJob(jobId)).toBe(false)
    store.isFailing = false
    await waitFor(() => store.jobs.get(jobId)?.completed === true, { what: 'the retried commit' })
    expect(scheduler.removeJob(jobId)).toBe(true)
    expect(store.jobs.has(jobId)).toBe(false)
  })

  test('ignores new definitions once shutting down, so queued jobs stay queued', async () => {
    const store = new MapStore()
    const { scheduler } = makeScheduler(pipeline(), Date.now, store)
    scheduler.restore([queuedJob('a', 1, { startDelayMs: 3_600_000, created: Date.now() })])
    await scheduler.shutdown('graceful')
    scheduler.setDefinitions(new Map())

    expect(scheduler.getJob('a')?.canceled).toBe(false)
    expect(scheduler.counts().queued).toBe(1)
  })
})

/** Records what the scheduler commits, and how often; `isFailing` makes batch writes throw. */
class MapStore {
  readonly jobs = new Map<string, JobState>()
  inserts = 0
  batches = 0
  isFailing = false

  insertJob(job: JobState, replaced: JobState[]): void {
    this.inserts++
    for (const each of [job, ...replaced]) {
      this.jobs.set(each.id, structuredClone(each))
    }
  }

  saveJob(job: JobState): void {
    this.jobs.set(job.id, structuredClone(job))
  }

  saveJobs(jobs: JobState[]): void {
    if (this.isFailing) {
      throw new Error('disk full')
    }

    this.batches++
    for (const job of jobs) {
      this.saveJob(job)
    }
  }

  deleteJob(id: string): void {
    this.jobs.delete(id)
  }
}

function makeScheduler(
  definition: PipelineDefinition,
  now: () => number = Date.now,
  store: MapStore | undefined = undefined,
  hooks: SchedulerHooks | undefined = undefined,
): { scheduler: Scheduler; records: LogRecord[] } {
  const dir = mkdtempSync(join(tmpdir(), 'prunner-scheduler-'))
  dirs.push(dir)
  const records: LogRecord[] = []
  const scheduler = new Scheduler({
    store: store ?? {
      insertJob: () => {},
      saveJob: () => {},
      saveJobs: () => {},
      deleteJob: () => {},
    },
    logger: new Logger({ level: 'debug', sink: (record) => records.push(record) }),
    dataDir: join(dir, 'data'),
    cwd: dir,
    defaultShell: '/bin/sh',
    definitions: new Map([[definition.name, definition]]),
    now,
    hooks,
  })
  return { scheduler, records }
}

const pipeline = makePipeline

function queuedJob(
  id: string,
  seq: number,
  options: { created?: number; startDelayMs?: number } = {},
): JobState {
  return {
    id,
    pipeline: 'p',
    seq,
    created: options.created ?? 0,
    start: null,
    end: null,
    completed: false,
    canceled: false,
    user: '',
    partition: '',
    snapshot: {
      tasks: [],
      env: {},
      startDelayMs: options.startDelayMs ?? 0,
      continueRunningTasksAfterFailure: false,
    },
    tasks: [],
  }
}
