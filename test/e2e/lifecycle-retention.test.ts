import { afterAll, afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupPrunners, type PrunnerProcess, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import { killAll, logHas, readPids, scheduleJob, waitForJob } from './lifecycle-helpers.ts'

setDefaultTimeout(30_000)

const PIPELINES = `
pipelines:
  counted:
    retention_count: 2
    tasks:
      a:
        script: ["echo kept"]
  aging:
    retention_period: 1s
    tasks:
      a:
        script: ["echo aging"]
  held:
    concurrency: 1
    retention_count: 1
    tasks:
      a:
        script:
          - echo $$ >> pids
          - while [ ! -f release ]; do sleep 0.05; done
  other:
    tasks:
      a:
        script: ["true"]
`

const leftovers: number[] = []

afterEach(() => {
  killAll(leftovers.splice(0))
})

afterAll(async () => {
  await cleanupPrunners()
})

async function jobIds(prunner: PrunnerProcess, pipeline: string): Promise<string[]> {
  const { body } = await prunner.json<{ jobs: { id: string; pipeline: string }[] }>(
    'GET',
    '/pipelines/jobs',
  )
  return body.jobs.filter((job) => job.pipeline === pipeline).map((job) => job.id)
}

async function runToCompletion(prunner: PrunnerProcess, pipeline: string): Promise<string> {
  const id = await scheduleJob(prunner, pipeline)
  await waitForJob(prunner, id, (job) => job.completed)
  return id
}

describe('retention', () => {
  test('by count keeps the newest jobs of the pipeline and deletes the log directories of the rest', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const ids: string[] = []
    for (let round = 0; round < 4; round++) {
      ids.push(await runToCompletion(prunner, 'counted'))
    }

    await waitFor(async () => (await jobIds(prunner, 'counted')).length === 2, {
      what: 'two jobs to remain',
    })
    expect(await jobIds(prunner, 'counted')).toEqual(ids.slice(2).reverse())
    expect(existsSync(join(prunner.dataDir, 'logs', String(ids[0])))).toBe(false)
    expect(existsSync(join(prunner.dataDir, 'logs', String(ids[1])))).toBe(false)
    expect(existsSync(join(prunner.dataDir, 'logs', String(ids[3]), 'a-stdout.log'))).toBe(true)
    expect(
      logHas(prunner, 'msg="job removed"', `jobId=${ids[0]}`, 'reason="retention count"'),
    ).toBe(true)
  })

  test('by period removes a finished job once it is older than retention_period', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const old = await runToCompletion(prunner, 'aging')
    // Wall time has to pass for a job to age; nothing else can be polled for here.
    await Bun.sleep(1_100)

    const young = await runToCompletion(prunner, 'aging')

    await waitFor(async () => !(await jobIds(prunner, 'aging')).includes(old), {
      what: 'the old job to be removed',
    })
    expect(await jobIds(prunner, 'aging')).toEqual([young])
    expect(logHas(prunner, `jobId=${old}`, 'reason="retention period"')).toBe(true)
  })

  test('never removes a running or a queued job, though they count', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    writeFileSync(join(prunner.dir, 'release'), '')
    const finished = await runToCompletion(prunner, 'held')
    await Bun.$`rm ${join(prunner.dir, 'release')} ${join(prunner.dir, 'pids')}`.quiet()
    const running = await scheduleJob(prunner, 'held')
    const queued = await scheduleJob(prunner, 'held')
    leftovers.push(...(await readPids(prunner.dir, 'pids', 1)))

    // Any completion runs a pass; this one is of another pipeline.
    await runToCompletion(prunner, 'other')

    await waitFor(async () => !(await jobIds(prunner, 'held')).includes(finished), {
      what: 'the finished job to be removed',
    })
    expect(await jobIds(prunner, 'held')).toEqual([queued, running])
  })

  test('runs at start-up over the stored jobs', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const id = await runToCompletion(prunner, 'other')
    expect(await prunner.stop('SIGINT')).toBe(0)
    writeFileSync(join(prunner.dir, 'pipelines.yml'), PIPELINES.replace(/ {2}other:[\s\S]*$/, ''))

    const restarted = await startPrunner({ dir: prunner.dir })

    await waitFor(() => logHas(restarted, `jobId=${id}`, 'reason="pipeline removed"'), {
      what: 'the start-up pass',
    })
    expect((await restarted.json('GET', `/job/detail?id=${id}`)).status).toBe(404)
  })
})
