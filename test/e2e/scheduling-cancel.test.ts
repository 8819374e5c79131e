import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupPrunners, type PrunnerProcess, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  cancel,
  detail,
  expectNotStartedUntil,
  gatePipeline,
  type JobJson,
  pipelinesFile,
  release,
  releaseAllAndSettle,
  runOneByOne,
  scheduleOk,
  waitCompleted,
  waitStarted,
} from './scheduling-helpers.ts'

// These tests wait on real start delays and shells; bunfig's timeout does not reach them.
setDefaultTimeout(30_000)

const CHAIN = `  chain:
    tasks:
      gate:
        script:
          - 'echo {{ .__jobID }} >> order-chain'
          - 'echo $$ > pid-{{ .__jobID }}'
          - 'while [ ! -f release-{{ .__jobID }} ] && [ ! -f release-all ] && [ -f pipelines.yml ]; do sleep 0.05; done'
      after:
        depends_on: [gate]
        script: ['echo after']`

const STEPS = `  steps:
    concurrency: 10
    tasks:
      a:
        script: ['sleep 0.05']
      b:
        depends_on: [a]
        script: ['sleep 0.05']
      c:
        depends_on: [b]
        script: ['sleep 0.05']`

// Ignores SIGINT, so a canceled job keeps its slot until the SIGKILL 2 s later: the queued job
// behind it cannot start while the cancels of a test are still arriving.
const STUBBORN = `  stubborn:
    tasks:
      hold:
        script:
          - "trap '' INT"
          - 'while [ -f pipelines.yml ]; do sleep 0.05; done'`

const PIPELINES = pipelinesFile(
  STUBBORN,
  CHAIN,
  gatePipeline('delayed', ['start_delay: 1s']),
  gatePipeline('single', []),
  gatePipeline('racy', ['concurrency: 20']),
  STEPS,
)

const UNKNOWN_ID = '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11'

let prunner: PrunnerProcess

beforeAll(async () => {
  prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
})

afterAll(async () => {
  await releaseAllAndSettle(prunner)
  await cleanupPrunners()
})

function expectCanceledWhileWaiting(job: JobJson): void {
  expect(job).toMatchObject({
    completed: false,
    canceled: true,
    start: null,
    end: null,
    lastError: 'job canceled',
  })
  for (const task of job.tasks) {
    expect(task).toMatchObject({ status: 'canceled', exitCode: 0, start: null, end: null })
  }
}

/** SPEC §7: every task of a completed job is in a final state that agrees with the job's. */
function expectConsistentFinalState(job: JobJson, wasCanceled: boolean): void {
  expect(job.completed).toBe(true)
  expect(job.end).not.toBeNull()
  expect(job.canceled).toBe(wasCanceled)
  expect(job.lastError).toBe(wasCanceled ? 'job canceled' : undefined)
  for (const task of job.tasks) {
    const allowed = wasCanceled ? ['done', 'canceled'] : ['done']
    expect(allowed).toContain(task.status)
    if (task.start === null) {
      expect(task).toMatchObject({ status: 'canceled', exitCode: 0, end: null })
    } else {
      expect(task.end).not.toBeNull()
      expect(task.exitCode).toBe(task.status === 'canceled' ? -1 : 0)
    }
  }
}

describe('canceling a job that has not started', () => {
  test('removes a queued job from the wait list at once and never starts it', async () => {
    const running = await scheduleOk(prunner, 'chain')
    await waitStarted(prunner, running)
    const queued = await scheduleOk(prunner, 'chain')

    expect(await cancel(prunner, queued)).toEqual({ status: 200, body: true })
    expectCanceledWhileWaiting(await detail(prunner, queued))
    expect(await cancel(prunner, queued)).toEqual({ status: 200, body: true })

    const next = await scheduleOk(prunner, 'chain')
    expect(await runOneByOne(prunner, 'chain', 2)).toEqual([running, next])
    await waitCompleted(prunner, next)
    expectCanceledWhileWaiting(await detail(prunner, queued))
  })

  test('stops the delay of a delayed job so it never starts', async () => {
    const sentAt = Date.now()
    const delayed = await scheduleOk(prunner, 'delayed')
    expect(await cancel(prunner, delayed)).toEqual({ status: 200, body: true })
    expectCanceledWhileWaiting(await detail(prunner, delayed))
    await expectNotStartedUntil(prunner, delayed, sentAt + 2000)
  })
})

describe('canceling a running job', () => {
  test('kills its task, cancels the rest and frees the slot for the next job', async () => {
    const running = await scheduleOk(prunner, 'chain')
    await waitStarted(prunner, running)
    const next = await scheduleOk(prunner, 'chain')
    const pidFile = join(prunner.dir, `pid-${running}`)
    const pid = await waitFor(() => {
      try {
        return Number(readFileSync(pidFile, 'utf8'))
      } catch {
        return undefined
      }
    })

    expect(await cancel(prunner, running)).toEqual({ status: 200, body: true })
    expect((await detail(prunner, running)).canceled).toBe(true)
    const job = await waitCompleted(prunner, running)
    expect(job).toMatchObject({ completed: true, canceled: true, lastError: 'job canceled' })
    expect(job.end).not.toBeNull()
    expect(job.tasks.map((t) => [t.name, t.status, t.exitCode, t.start === null])).toEqual([
      ['gate', 'canceled', -1, false],
      ['after', 'canceled', 0, true],
    ])
    expect(isAlive(pid)).toBe(false)
    expect(await cancel(prunner, running)).toEqual({ status: 200, body: true })

    await waitStarted(prunner, next)
    release(prunner, next)
    await waitCompleted(prunner, next)
  })

  test('answers 500 for a job that completed without being canceled', async () => {
    const id = await scheduleOk(prunner, 'single')
    release(prunner, id)
    await waitCompleted(prunner, id)
    expect(await cancel(prunner, id)).toEqual({
      status: 500,
      body: { error: 'Error canceling job' },
    })
    expect((await detail(prunner, id)).canceled).toBe(false)
  })

  test('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect(await cancel(prunner, 'not-a-uuid')).toEqual({
      status: 400,
      body: { error: 'Invalid job id' },
    })
    expect(await cancel(prunner, UNKNOWN_ID)).toEqual({
      status: 404,
      body: { error: 'Job not found' },
    })
  })
})

describe('concurrent cancels', () => {
  test('all succeed and cancel each job exactly once', async () => {
    const running = await scheduleOk(prunner, 'stubborn')
    await waitStarted(prunner, running)
    const queued = await scheduleOk(prunner, 'stubborn')

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => cancel(prunner, i % 2 === 0 ? running : queued)),
    )
    expect(answers.every((a) => a.status === 200 && a.body === true)).toBe(true)

    expectCanceledWhileWaiting(await detail(prunner, queued))
    expectConsistentFinalState(await waitCompleted(prunner, running), true)
    const cancelLines = (id: string) =>
      prunner.logLines.filter((l) => l.includes('msg="job canceled"') && l.includes(id))
    expect(cancelLines(running)).toHaveLength(1)
    expect(cancelLines(queued)).toHaveLength(1)
  })

  test('a cancel racing a finishing task leaves a consistent final state', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => scheduleOk(prunner, 'racy')))
    for (const id of ids) {
      await waitStarted(prunner, id)
    }

    const answers = await Promise.all(
      ids.map(async (id, index) => {
        release(prunner, id)
        await Bun.sleep(index * 10)
        return await cancel(prunner, id)
      }),
    )
    for (const [index, id] of ids.entries()) {
      const answer = answers[index]
      expect([200, 500]).toContain(answer?.status ?? 0)
      expectConsistentFinalState(await waitCompleted(prunner, id), answer?.status === 200)
    }
  })

  test('a cancel between two tasks starts no further task', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => scheduleOk(prunner, 'steps')))
    const answers = await Promise.all(
      ids.map(async (id, index) => {
        await Bun.sleep(index * 25)
        return await cancel(prunner, id)
      }),
    )
    for (const [index, id] of ids.entries()) {
      const answer = answers[index]
      expect([200, 500]).toContain(answer?.status ?? 0)
      const job = await waitCompleted(prunner, id)
      expectConsistentFinalState(job, answer?.status === 200)
      if (answer?.status === 200) {
        // Tasks run one after another: after the first canceled task nothing may have started.
        const firstCanceled = job.tasks.findIndex((task) => task.status === 'canceled')
        expect(job.tasks.slice(firstCanceled + 1).every((task) => task.start === null)).toBe(true)
      }
    }
  })
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
