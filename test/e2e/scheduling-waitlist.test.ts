import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupPrunners, type PrunnerProcess, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  cancel,
  detail,
  expectNotStartedUntil,
  flags,
  gatePipeline,
  pipelinesFile,
  release,
  releaseAllAndSettle,
  scheduleOk,
  startOrder,
  waitCompleted,
  waitStarted,
} from './scheduling-helpers.ts'

// These tests wait on real start delays and shells; bunfig's timeout does not reach them.
setDefaultTimeout(30_000)

const FRAGILE = `  fragile:
    tasks:
      gate:
        script:
          - 'echo {{ .__jobID }} >> order-fragile'
          - 'echo {{ .needed }}'
          - 'while [ ! -f release-{{ .__jobID }} ] && [ ! -f release-all ] && [ -f pipelines.yml ]; do sleep 0.05; done'`

/** The definition file with `mixed` and `growing` set as a test needs them at that moment. */
function pipelines(options: { mixedDelay?: string; growingConcurrency?: number } = {}): string {
  return pipelinesFile(
    gatePipeline('month', ['start_delay: 720h']),
    gatePipeline('debounce', ['queue_strategy: replace', 'queue_limit: 1', 'start_delay: 1500ms']),
    gatePipeline('busy', ['start_delay: 2s']),
    gatePipeline('mixed', [`start_delay: ${options.mixedDelay ?? '0s'}`]),
    gatePipeline('growing', [`concurrency: ${options.growingConcurrency ?? 1}`]),
    FRAGILE,
  )
}

let prunner: PrunnerProcess
let monthJob: string
let monthScheduledAt: number

beforeAll(async () => {
  prunner = await startPrunner({ files: { 'pipelines.yml': pipelines() } })
  monthScheduledAt = Date.now()
  monthJob = await scheduleOk(prunner, 'month')
})

afterAll(async () => {
  await releaseAllAndSettle(prunner)
  await cleanupPrunners()
})

/** Rewrites the definition file and reloads it with SIGUSR1, waiting until it is installed. */
async function reload(content: string): Promise<void> {
  const count = () =>
    prunner.logLines.filter((l) => l.includes('msg="definitions reloaded"')).length
  const before = count()
  writeFileSync(join(prunner.dir, 'pipelines.yml'), content)
  prunner.proc.kill('SIGUSR1')
  await waitFor(() => count() > before, { what: 'the definitions to be reloaded' })
}

describe('start_delay', () => {
  test('restarts the debounce window when a job is replaced', async () => {
    const first = await scheduleOk(prunner, 'debounce')
    // The second request arrives inside the first job's window, which it must restart.
    await Bun.sleep(800)
    const secondSentAt = Date.now()
    const second = await scheduleOk(prunner, 'debounce')
    expect((await detail(prunner, first)).lastError).toBe(`replaced by job ${second}`)

    // The server stamps `created` after the request was sent, so no start may come before this.
    await expectNotStartedUntil(prunner, second, secondSentAt + 1400)
    await waitStarted(prunner, second)
    expect(startOrder(prunner, 'debounce')).toEqual([second])
    release(prunner, second)
    await waitCompleted(prunner, second)
  })

  test('keeps a job whose delay elapsed waiting while the pipeline is at its limit', async () => {
    const first = await scheduleOk(prunner, 'busy')
    await waitStarted(prunner, first)
    const secondSentAt = Date.now()
    const second = await scheduleOk(prunner, 'busy')
    await expectNotStartedUntil(prunner, second, secondSentAt + 3000)

    // Once the slot is free the job starts at once, without serving its delay a second time.
    const releasedAt = Date.now()
    release(prunner, first)
    await waitStarted(prunner, second)
    expect(Date.now() - releasedAt).toBeLessThan(1500)
    release(prunner, second)
    await waitCompleted(prunner, second)
  })
})

describe('wait-list processing', () => {
  test('starts a startable job behind a delayed one without waiting for the delay', async () => {
    const running = await scheduleOk(prunner, 'mixed')
    await waitStarted(prunner, running)
    await reload(pipelines({ mixedDelay: '720h' }))
    const delayed = await scheduleOk(prunner, 'mixed')
    await reload(pipelines({ mixedDelay: '0s' }))
    const startable = await scheduleOk(prunner, 'mixed')
    expect((await detail(prunner, startable)).start).toBeNull()

    release(prunner, running)
    await waitStarted(prunner, startable)
    release(prunner, startable)
    await waitCompleted(prunner, startable)
    expect((await detail(prunner, delayed)).start).toBeNull()
    expect(await flags(prunner, 'mixed')).toMatchObject({ running: false })
    expect(await cancel(prunner, delayed)).toEqual({ status: 200, body: true })
  })

  test('starts waiting jobs at once when a reload raises the concurrency', async () => {
    const running = await scheduleOk(prunner, 'growing')
    await waitStarted(prunner, running)
    const waiting = [await scheduleOk(prunner, 'growing'), await scheduleOk(prunner, 'growing')]
    expect((await detail(prunner, waiting[0] as string)).start).toBeNull()

    await reload(pipelines({ growingConcurrency: 3 }))
    await waitStarted(prunner, waiting[0] as string)
    await waitStarted(prunner, waiting[1] as string)
    // Both start in the same instant, so their shells may record themselves in either order.
    const [first, ...rest] = startOrder(prunner, 'growing')
    expect(first).toBe(running)
    expect(rest.sort()).toEqual([...waiting].sort())
    for (const id of [running, ...waiting]) {
      release(prunner, id)
      await waitCompleted(prunner, id)
    }
  })

  test('moves on to the next job when a job fails before its task can run', async () => {
    const running = await scheduleOk(prunner, 'fragile', { variables: { needed: 'yes' } })
    await waitStarted(prunner, running)
    const broken = await scheduleOk(prunner, 'fragile')
    const next = await scheduleOk(prunner, 'fragile', { variables: { needed: 'yes' } })

    release(prunner, running)
    const failed = await waitCompleted(prunner, broken)
    expect(failed.tasks.map((task) => task.status)).toEqual(['error'])
    await waitStarted(prunner, next)
    expect(startOrder(prunner, 'fragile')).toEqual([running, next])
    release(prunner, next)
    await waitCompleted(prunner, next)
  })

  test('keeps a job with a 720h start_delay waiting for at least five seconds', async () => {
    await expectNotStartedUntil(prunner, monthJob, monthScheduledAt + 5000)
    expect(await flags(prunner, 'month')).toEqual({
      pipeline: 'month',
      running: false,
      schedulable: true,
    })
  })
})
