import { afterAll, afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupPrunners, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  getJob,
  isAlive,
  killAll,
  logHas,
  readPids,
  scheduleJob,
  waitForJob,
} from './lifecycle-helpers.ts'

const GATED = `
pipelines:
  gated:
    concurrency: 1
    tasks:
      work:
        script:
          - echo $$ >> pids
          - while [ ! -f release ]; do sleep 0.05; done
          - echo finished
  stubborn:
    tasks:
      trap:
        script:
          - trap '' INT
          - sleep 300 &
          - echo $! >> pids
          - echo $$ >> pids
          - while true; do sleep 0.05; done
`

setDefaultTimeout(30_000)

const leftovers: number[] = []

afterEach(() => {
  killAll(leftovers.splice(0))
})

afterAll(async () => {
  await cleanupPrunners()
})

describe('SIGINT', () => {
  test('lets the running job finish, answers schedules with 503 and keeps the queued job for the next start', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': GATED } })
    const running = await scheduleJob(prunner, 'gated')
    const queued = await scheduleJob(prunner, 'gated')
    const [pid] = await readPids(prunner.dir, 'pids', 1)
    leftovers.push(pid ?? 0)

    prunner.proc.kill('SIGINT')
    await waitFor(() => logHas(prunner, 'mode=graceful'), { what: 'the shutdown to start' })
    const refused = await prunner.json('POST', '/pipelines/schedule', { pipeline: 'gated' })
    expect(refused).toEqual({ status: 503, body: { error: 'Server is shutting down' } })
    expect((await getJob(prunner, running)).completed).toBe(false)
    expect(prunner.proc.exitCode).toBeNull()

    writeFileSync(join(prunner.dir, 'release'), '')
    expect(await prunner.proc.exited).toBe(0)
    expect(logHas(prunner, 'msg="shutdown complete"')).toBe(true)

    const restarted = await startPrunner({ dir: prunner.dir })
    const finished = await getJob(restarted, running)
    expect(finished).toMatchObject({ completed: true, canceled: false })
    expect(finished.tasks[0]?.status).toBe('done')
    const resumed = await waitForJob(restarted, queued, (job) => job.completed)
    expect(resumed).toMatchObject({ completed: true, canceled: false })
    expect(logHas(restarted, 'msg="queued job restored"', `jobId=${queued}`)).toBe(true)
    expect(await restarted.stop('SIGINT')).toBe(0)
  })
})

describe('SIGTERM', () => {
  test('cancels a task that ignores SIGINT and leaves no task process behind', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': GATED } })
    const id = await scheduleJob(prunner, 'stubborn')
    const pids = await readPids(prunner.dir, 'pids', 2)
    leftovers.push(...pids)
    expect(pids.every(isAlive)).toBe(true)

    const startedAt = Date.now()
    expect(await prunner.stop('SIGTERM')).toBe(0)

    expect(Date.now() - startedAt).toBeLessThan(5_000)
    expect(pids.filter(isAlive)).toEqual([])
    expect(logHas(prunner, 'mode=forced')).toBe(true)
    const restarted = await startPrunner({ dir: prunner.dir })
    const job = await getJob(restarted, id)
    expect(job).toMatchObject({
      completed: true,
      canceled: true,
      lastError: 'job canceled: prunner is shutting down',
    })
    expect(job.tasks[0]).toMatchObject({ status: 'canceled', exitCode: -1 })
    expect(await restarted.stop('SIGINT')).toBe(0)
  })

  test('as a second SIGINT forces a graceful shutdown that waits for a running job', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': GATED } })
    const id = await scheduleJob(prunner, 'gated')
    leftovers.push(...(await readPids(prunner.dir, 'pids', 1)))

    prunner.proc.kill('SIGINT')
    await waitFor(() => logHas(prunner, 'mode=graceful'), { what: 'the graceful shutdown' })
    expect(await prunner.stop('SIGINT')).toBe(0)

    expect(logHas(prunner, 'mode=forced')).toBe(true)
    const restarted = await startPrunner({ dir: prunner.dir })
    expect(await getJob(restarted, id)).toMatchObject({ completed: true, canceled: true })
    expect(await restarted.stop('SIGINT')).toBe(0)
  })
})

const ONE = `
pipelines:
  old:
    tasks:
      a:
        script: ["echo old"]
`

const TWO = `
pipelines:
  new:
    tasks:
      a:
        script: ["echo new"]
`

describe('reloading', () => {
  test('SIGUSR1 installs the edited file and removes finished jobs of a dropped pipeline', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': ONE } })
    const id = await scheduleJob(prunner, 'old')
    await waitForJob(prunner, id, (job) => job.completed)

    writeFileSync(join(prunner.dir, 'pipelines.yml'), TWO)
    prunner.proc.kill('SIGUSR1')

    await waitFor(
      async () => {
        const { body } = await prunner.json<{ pipelines: { pipeline: string }[] }>(
          'GET',
          '/pipelines',
        )
        return body.pipelines.map((p) => p.pipeline).join() === 'new'
      },
      { what: 'the reloaded pipelines' },
    )
    await waitFor(
      () => logHas(prunner, 'msg="job removed"', `jobId=${id}`, 'reason="pipeline removed"'),
      {
        what: 'retention after the reload',
      },
    )
    expect((await prunner.json('GET', `/job/detail?id=${id}`)).status).toBe(404)
  })

  test('SIGUSR1 with an invalid file keeps the current definitions', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': ONE } })

    writeFileSync(join(prunner.dir, 'pipelines.yml'), 'pipelines:\n  old:\n    tasks: [')
    prunner.proc.kill('SIGUSR1')

    await waitFor(() => logHas(prunner, 'reloading definitions failed'), { what: 'the failure' })
    expect(await scheduleJob(prunner, 'old')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('--watch picks up an edited file without a signal', async () => {
    const prunner = await startPrunner({
      files: { 'pipelines.yml': ONE },
      args: ['--watch', '--poll-interval', '100ms'],
    })

    writeFileSync(join(prunner.dir, 'pipelines.yml'), TWO)

    expect(await scheduleJobEventually(prunner, 'new')).toMatch(/^[0-9a-f-]{36}$/)
    expect(logHas(prunner, 'reload requested')).toBe(false)
  })

  test('--watch reports a broken file once, not on every tick', async () => {
    const prunner = await startPrunner({
      files: { 'pipelines.yml': ONE },
      args: ['--watch', '--poll-interval', '50ms', '--verbose'],
    })
    writeFileSync(join(prunner.dir, 'pipelines.yml'), 'pipelines: [\n')

    const stillInvalid = () =>
      prunner.logLines.filter((line) => line.includes('definitions still invalid'))
    await waitFor(() => stillInvalid().length >= 3, { what: 'three more ticks on the broken file' })
    const failures = prunner.logLines.filter((line) =>
      line.includes('msg="reloading definitions failed"'),
    )
    expect(failures).toHaveLength(1)
  })
})

async function scheduleJobEventually(
  prunner: Awaited<ReturnType<typeof startPrunner>>,
  pipeline: string,
): Promise<string> {
  return await waitFor(
    async () => {
      const { status, body } = await prunner.json<{ jobId?: string }>(
        'POST',
        '/pipelines/schedule',
        { pipeline },
      )
      return status === 202 ? body.jobId : undefined
    },
    { what: `pipeline ${pipeline} to be schedulable` },
  )
}
