import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PipelineDefinition } from '../../src/definition/types.ts'
import { runRetentionPass, selectRemovals, startRetention } from '../../src/lifecycle/index.ts'
import { Logger, type LogRecord, silentLogger } from '../../src/log/index.ts'
import type { JobState } from '../../src/scheduler/index.ts'
import { makePipeline } from '../helpers/definitions.ts'
import { waitFor } from '../helpers/wait.ts'
import { makeJob } from '../store/store-helpers.ts'

const NOW = 1_800_000_000_000
const MINUTE = 60_000

function pipeline(overrides: Partial<PipelineDefinition> = {}): PipelineDefinition {
  return makePipeline({ name: 'release', ...overrides })
}

function finished(minutesAgo: number, overrides: Partial<JobState> = {}): JobState {
  const created = NOW - minutesAgo * MINUTE
  return makeJob({ created, start: created, end: created, completed: true, ...overrides })
}

function running(minutesAgo: number): JobState {
  return makeJob({ created: NOW - minutesAgo * MINUTE, start: NOW - minutesAgo * MINUTE })
}

function queued(minutesAgo: number): JobState {
  return makeJob({ created: NOW - minutesAgo * MINUTE })
}

function definitions(...list: PipelineDefinition[]): Map<string, PipelineDefinition> {
  return new Map(list.map((definition) => [definition.name, definition]))
}

function reasons(jobs: JobState[], defs: Map<string, PipelineDefinition>): (string | undefined)[] {
  const removals = selectRemovals({ jobs, definitions: defs, nowMs: NOW })
  return jobs.map((job) => removals.find((removal) => removal.job === job)?.reason)
}

describe('choosing jobs to remove', () => {
  test('keeps the newest retention_count jobs, counting running and queued ones', () => {
    const jobs = [queued(1), running(2), finished(3), finished(4), finished(5)]

    expect(reasons(jobs, definitions(pipeline({ retentionCount: 3 })))).toEqual([
      undefined,
      undefined,
      undefined,
      'retention count',
      'retention count',
    ])
  })

  test('never removes running or queued jobs, however old', () => {
    const jobs = [finished(1), running(500), queued(600)]
    const defs = definitions(pipeline({ retentionCount: 1, retentionPeriodMs: 10 * MINUTE }))

    expect(reasons(jobs, defs)).toEqual([undefined, undefined, undefined])
  })

  test('removes finished jobs older than retention_period, and no younger one', () => {
    const jobs = [finished(9), finished(10), finished(11)]

    expect(reasons(jobs, definitions(pipeline({ retentionPeriodMs: 10 * MINUTE })))).toEqual([
      undefined,
      undefined,
      'retention period',
    ])
  })

  test('names the first matching rule: removed pipeline, then period, then count', () => {
    const gone = finished(1, { pipeline: 'gone' })
    const jobs = [finished(1), finished(2), finished(30), gone]
    const defs = definitions(pipeline({ retentionCount: 1, retentionPeriodMs: 10 * MINUTE }))

    expect(reasons(jobs, defs)).toEqual([
      undefined,
      'retention count',
      'retention period',
      'pipeline removed',
    ])
  })

  test('counts each pipeline on its own and treats a canceled queued job as finished', () => {
    const other = pipeline({ name: 'other', retentionCount: 1 })
    const canceledQueued = makeJob({ pipeline: 'other', created: NOW - 5 * MINUTE, canceled: true })
    const jobs = [finished(1), finished(2, { pipeline: 'other' }), canceledQueued]

    expect(reasons(jobs, definitions(pipeline({ retentionCount: 1 }), other))).toEqual([
      undefined,
      undefined,
      'retention count',
    ])
  })

  test('keeps everything when no rule is set', () => {
    expect(reasons([finished(1), finished(99_999)], definitions(pipeline()))).toEqual([
      undefined,
      undefined,
    ])
  })
})

describe('a retention pass', () => {
  const dirs: string[] = []

  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  function dataDirWithLogs(jobs: JobState[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'prunner-retention-'))
    dirs.push(dir)
    for (const job of jobs) {
      mkdirSync(join(dir, 'logs', job.id), { recursive: true })
      writeFileSync(join(dir, 'logs', job.id, 'build-stdout.log'), 'out')
    }
    return dir
  }

  function fakeScheduler(jobs: JobState[], failing = new Set<string>()) {
    return {
      listJobs: () => [...jobs],
      removeJob: (id: string) => {
        if (failing.has(id)) {
          throw new Error('disk I/O error')
        }

        const index = jobs.findIndex((job) => job.id === id)
        jobs.splice(index, 1)
        return true
      },
    }
  }

  test('removes the job, then its log directory, and logs the reason', () => {
    const keep = finished(1)
    const drop = finished(2)
    const jobs = [keep, drop]
    const dataDir = dataDirWithLogs(jobs)
    const records: LogRecord[] = []
    const logger = new Logger({ sink: (record) => records.push(record) })

    const removed = runRetentionPass({
      scheduler: fakeScheduler(jobs),
      definitions: definitions(pipeline({ retentionCount: 1 })),
      dataDir,
      logger,
      nowMs: NOW,
    })

    expect(removed).toBe(1)
    expect(jobs).toEqual([keep])
    expect(existsSync(join(dataDir, 'logs', drop.id))).toBe(false)
    expect(existsSync(join(dataDir, 'logs', keep.id, 'build-stdout.log'))).toBe(true)
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: 'job removed',
        fields: { jobId: drop.id, pipeline: 'release', reason: 'retention count' },
      }),
    )
  })

  test('keeps the logs of a job the store failed to delete and goes on with the next', () => {
    const failing = finished(2)
    const other = finished(3)
    const jobs = [finished(1), failing, other]
    const dataDir = dataDirWithLogs(jobs)

    const removed = runRetentionPass({
      scheduler: fakeScheduler(jobs, new Set([failing.id])),
      definitions: definitions(pipeline({ retentionCount: 1 })),
      dataDir,
      logger: silentLogger(),
      nowMs: NOW,
    })

    expect(removed).toBe(1)
    expect(existsSync(join(dataDir, 'logs', failing.id))).toBe(true)
    expect(existsSync(join(dataDir, 'logs', other.id))).toBe(false)
  })

  test('runs soon after a request and again on its interval', async () => {
    const jobs = [finished(1), finished(2), finished(3)]
    let passes = 0
    const scheduler = fakeScheduler(jobs)
    const retention = startRetention({
      scheduler: {
        listJobs: () => {
          passes++
          return scheduler.listJobs()
        },
        removeJob: scheduler.removeJob,
      },
      definitions: () => definitions(pipeline({ retentionCount: 2 })),
      dataDir: dataDirWithLogs([]),
      logger: silentLogger(),
      now: () => NOW,
      intervalMs: 30,
    })
    try {
      retention.request()
      retention.request()
      await waitFor(() => passes >= 1, { what: 'the requested pass' })
      expect(jobs).toHaveLength(2)
      await waitFor(() => passes >= 3, { what: 'passes from the interval' })
    } finally {
      retention.stop()
    }
  })
})
