import { afterAll, afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
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

setDefaultTimeout(40_000)

const CRASHY = `
pipelines:
  crashy:
    concurrency: 1
    tasks:
      work:
        script:
          - echo $$ >> pids-{{ .n }}
          - sleep 300 &
          - echo $! >> pids-{{ .n }}
          - while [ ! -f release ]; do sleep 0.05; done
  quick:
    tasks:
      a:
        script: ["echo quick"]
`

const leftovers: number[] = []

afterEach(() => {
  killAll(leftovers.splice(0))
})

afterAll(async () => {
  await cleanupPrunners()
})

describe('after kill -9', () => {
  test('a restart kills the old task group, marks its job interrupted and runs the queued one', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': CRASHY } })
    const done = await scheduleJob(prunner, 'quick')
    await waitForJob(prunner, done, (job) => job.completed)
    const interrupted = await scheduleJob(prunner, 'crashy', { n: 1 })
    const queued = await scheduleJob(prunner, 'crashy', { n: 2 })
    const oldPids = await readPids(prunner.dir, 'pids-1', 2)
    leftovers.push(...oldPids)

    expect(await prunner.stop('SIGKILL')).not.toBe(0)
    expect(oldPids.every(isAlive)).toBe(true)

    const restarted = await startPrunner({ dir: prunner.dir })
    // Killed before the server listens, so they are gone by now without waiting.
    expect(oldPids.filter(isAlive)).toEqual([])
    expect(logHas(restarted, 'msg="leftover task process killed"', `jobId=${interrupted}`)).toBe(
      true,
    )
    const job = await getJob(restarted, interrupted)
    expect(job).toMatchObject({
      completed: true,
      canceled: true,
      lastError: 'interrupted: prunner stopped while the job was running',
    })
    expect(job.end).not.toBeNull()
    expect(job.tasks[0]).toMatchObject({ status: 'canceled', exitCode: -1 })
    expect((await getJob(restarted, done)).completed).toBe(true)

    leftovers.push(...(await readPids(prunner.dir, 'pids-2', 2)))
    writeFileSync(join(prunner.dir, 'release'), '')
    const resumed = await waitForJob(restarted, queued, (j) => j.completed)
    expect(resumed).toMatchObject({ canceled: false })
    expect(await restarted.stop('SIGINT')).toBe(0)
  })
})

describe('the data directory', () => {
  test('refuses a second prunner while the first one runs', async () => {
    const first = await startPrunner({ files: { 'pipelines.yml': CRASHY } })

    const second = startPrunner({ dir: first.dir })

    await expect(second).rejects.toThrow(
      `data directory .prunner is in use by another prunner process`,
    )
    expect((await first.json('GET', '/pipelines')).status).toBe(200)
  })

  test('with an unreadable database stops start-up and keeps the file as it was', async () => {
    const dir = (await startPrunner({ files: { 'pipelines.yml': CRASHY } })).dir
    await cleanupPrunners({ keepDirs: true })
    const file = join(dir, '.prunner', 'prunner.db')
    writeFileSync(file, 'this is no database, but maybe somebody needs it')

    const start = startPrunner({ dir })

    await expect(start).rejects.toThrow(/msg="startup failed".*opening database .*prunner\.db/)
    expect(readFileSync(file, 'utf8')).toBe('this is no database, but maybe somebody needs it')
    expect(readdirSync(join(dir, '.prunner')).filter((name) => name.includes('corrupt'))).toEqual(
      [],
    )
  })

  test('imports a Go data.json into a new database and serves its jobs and logs', async () => {
    const id = '3f1d2c3b-aaaa-4bbb-8ccc-0123456789ab'
    const dataJson = JSON.stringify({
      Jobs: [
        {
          ID: id.toUpperCase(),
          Pipeline: 'crashy',
          Completed: true,
          Created: '2024-05-01T10:00:00+02:00',
          Start: '2024-05-01T10:00:01+02:00',
          End: '2024-05-01T10:00:09+02:00',
          Tasks: [{ Name: 'work', Script: ['make'], Status: 'done', ExitCode: -1 }],
        },
      ],
    })
    const prunner = await startPrunner({ files: { 'pipelines.yml': CRASHY } })
    const dir = prunner.dir
    await prunner.stop('SIGINT')
    const fresh = join(dir, 'fresh')
    mkdirSync(join(fresh, 'logs', id), { recursive: true })
    writeFileSync(join(fresh, 'data.json'), dataJson)
    writeFileSync(join(fresh, 'logs', id, 'work-stdout.log'), 'from go\n')

    const imported = await startPrunner({ dir, args: ['--data', 'fresh'] })

    expect(logHas(imported, 'msg="imported jobs from data.json"', 'count=1')).toBe(true)
    const job = await getJob(imported, id)
    expect(job).toMatchObject({
      completed: true,
      canceled: false,
      start: '2024-05-01T08:00:01Z',
      end: '2024-05-01T08:00:09Z',
    })
    expect(job.tasks[0]).toMatchObject({ status: 'done', exitCode: 0 })
    const logs = await imported.json('GET', `/job/logs?id=${id}&task=work`)
    expect(logs.body).toEqual({ stdout: 'from go\n', stderr: '' })
    expect(readFileSync(join(fresh, 'data.json'), 'utf8')).toBe(dataJson)

    expect(await imported.stop('SIGINT')).toBe(0)
    const again = await startPrunner({ dir, args: ['--data', 'fresh'] })
    expect(logHas(again, 'imported jobs from data.json')).toBe(false)
    await waitFor(async () => (await again.json('GET', '/pipelines/jobs')).status === 200)
    const { body } = await again.json<{ jobs: unknown[] }>('GET', '/pipelines/jobs')
    expect(body.jobs).toHaveLength(1)
  })
})
