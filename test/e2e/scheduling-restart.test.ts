import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { cleanupPrunners, type PrunnerProcess, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  detail,
  expectNotStartedUntil,
  flags,
  gatePipeline,
  pipelinesFile,
  release,
  releaseAllAndSettle,
  runOneByOne,
  schedule,
  scheduleOk,
  waitCompleted,
  waitStarted,
} from './scheduling-helpers.ts'

// These tests wait on real start delays and shells; bunfig's timeout does not reach them.
setDefaultTimeout(30_000)

const PIPELINES = pipelinesFile(gatePipeline('queue'), gatePipeline('delayed', ['start_delay: 6s']))

const INTERRUPTED = 'interrupted: prunner stopped while the job was running'

afterAll(async () => {
  await cleanupPrunners()
})

/** One running job and three queued behind it, in the order they were accepted. */
async function fillQueue(prunner: PrunnerProcess): Promise<{ running: string; queued: string[] }> {
  const running = await scheduleOk(prunner, 'queue')
  await waitStarted(prunner, running)
  const queued: string[] = []
  for (let i = 0; i < 3; i++) {
    queued.push(await scheduleOk(prunner, 'queue'))
  }
  return { running, queued }
}

describe('the wait list across a restart', () => {
  test('survives a graceful SIGINT and runs afterwards in the same order', async () => {
    let prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const { running, queued } = await fillQueue(prunner)

    prunner.proc.kill('SIGINT')
    await waitFor(() => prunner.logLines.some((l) => l.includes('msg="shutdown requested"')))
    expect(await schedule(prunner, 'queue')).toEqual({
      status: 503,
      body: { error: 'Server is shutting down' },
    })
    expect(await flags(prunner, 'queue')).toEqual({
      pipeline: 'queue',
      running: true,
      schedulable: false,
    })
    release(prunner, running)
    expect(await prunner.proc.exited).toBe(0)

    prunner = await startPrunner({ dir: prunner.dir })
    expect((await detail(prunner, running)).canceled).toBe(false)
    expect(await runOneByOne(prunner, 'queue', 4, 1)).toEqual([running, ...queued])
    for (const id of queued) {
      expect((await waitCompleted(prunner, id)).canceled).toBe(false)
    }
    expect(prunner.logLines.filter((l) => l.includes('msg="queued job restored"'))).toHaveLength(3)
    await releaseAllAndSettle(prunner)
  })

  test('survives kill -9 and runs afterwards in the same order', async () => {
    let prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const { running, queued } = await fillQueue(prunner)

    expect(await prunner.stop('SIGKILL')).not.toBe(0)
    // The gate task of the running job outlives prunner's SIGKILL; let it end on its own.
    release(prunner, running)

    prunner = await startPrunner({ dir: prunner.dir })
    const interrupted = await detail(prunner, running)
    expect(interrupted).toMatchObject({ completed: true, canceled: true, lastError: INTERRUPTED })
    expect(await runOneByOne(prunner, 'queue', 4, 1)).toEqual([running, ...queued])
    await releaseAllAndSettle(prunner)
  })

  test('counts the remaining delay of a queued job from its creation', async () => {
    let prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const sentAt = Date.now()
    const delayed = await scheduleOk(prunner, 'delayed')
    expect(await prunner.stop('SIGKILL')).not.toBe(0)
    // prunner stays down for half of the 6 s delay.
    await Bun.sleep(sentAt + 3000 - Date.now())

    prunner = await startPrunner({ dir: prunner.dir })
    const restartedAt = Date.now()
    await expectNotStartedUntil(prunner, delayed, sentAt + 5800)
    await waitStarted(prunner, delayed)
    // Counted from the restart, the job could not start before restartedAt + 6 s.
    expect(Date.now()).toBeLessThan(restartedAt + 5000)
    release(prunner, delayed)
    await waitCompleted(prunner, delayed)
  }, 60_000)
})
