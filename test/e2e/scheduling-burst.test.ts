import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupPrunners, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import type { JobJson } from './scheduling-helpers.ts'

// These tests wait on real start delays and shells; bunfig's timeout does not reach them.
setDefaultTimeout(30_000)

const JOBS = 200

/**
 * Each job keeps a counter of running jobs in `count`, guarded by an mkdir lock (mkdir is
 * atomic), and appends every value it sees after its increment to `seen`. The counter rises
 * when the task starts and falls when it ends, so it never under-counts the jobs that hold a
 * slot. Each job also appends its id to `ran`.
 */
const PIPELINES = `pipelines:
  burst:
    concurrency: 2
    tasks:
      work:
        script:
          - 'lock() { until mkdir counter.lock 2>/dev/null; do sleep 0.005; done; }'
          - 'unlock() { rmdir counter.lock; }'
          - 'lock; n=$(( $(cat count) + 1 )); echo $n > count; echo $n >> seen; unlock'
          - 'echo {{ .__jobID }} >> ran'
          - 'sleep 0.02'
          - 'lock; n=$(( $(cat count) - 1 )); echo $n > count; unlock'
`

afterAll(async () => {
  await cleanupPrunners()
})

describe('a burst of schedule requests', () => {
  test('never runs more than two jobs at once and runs every accepted job exactly once', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES, count: '0\n' } })
    const answers = await Promise.all(
      Array.from({ length: JOBS }, () =>
        prunner.json<{ jobId: string }>('POST', '/pipelines/schedule', { pipeline: 'burst' }),
      ),
    )
    expect(answers.filter((a) => a.status === 202)).toHaveLength(JOBS)
    const accepted = answers.map((a) => a.body.jobId)
    expect(new Set(accepted).size).toBe(JOBS)

    const jobs = await waitFor(
      async () => {
        const { body } = await prunner.json<{ jobs: JobJson[] }>('GET', '/pipelines/jobs')
        return body.jobs.every((job) => job.completed) ? body.jobs : undefined
      },
      { what: 'every burst job to complete', timeoutMs: 120_000, intervalMs: 250 },
    )
    expect(jobs.map((job) => job.id).sort()).toEqual([...accepted].sort())
    expect(jobs.every((job) => !job.canceled && job.tasks[0]?.status === 'done')).toBe(true)

    const ran = lines(join(prunner.dir, 'ran'))
    expect(ran).toHaveLength(JOBS)
    expect(ran.sort()).toEqual([...accepted].sort())
    const seen = lines(join(prunner.dir, 'seen')).map(Number)
    expect(seen).toHaveLength(JOBS)
    expect(Math.max(...seen)).toBe(2)
    expect(readFileSync(join(prunner.dir, 'count'), 'utf8')).toBe('0\n')
  }, 150_000)
})

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}
