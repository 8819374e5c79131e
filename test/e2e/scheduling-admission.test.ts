import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { cleanupPrunners, type PrunnerProcess, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  cancel,
  detail,
  flags,
  gatePipeline,
  pipelinesFile,
  release,
  releaseAllAndSettle,
  runOneByOne,
  schedule,
  scheduleOk,
  startOrder,
  waitCompleted,
  waitStarted,
} from './scheduling-helpers.ts'

// These tests wait on real start delays and shells; bunfig's timeout does not reach them.
setDefaultTimeout(30_000)

const QUEUEING_DISABLED =
  'Error scheduling pipeline: concurrency exceeded and queueing disabled for pipeline'
const QUEUE_FULL =
  'Error scheduling pipeline: concurrency exceeded and queue limit reached for pipeline'

const PIPELINES = pipelinesFile(
  gatePipeline('append_unbounded'),
  gatePipeline('append_none', ['concurrency: 2', 'queue_limit: 0']),
  gatePipeline('append_two', ['queue_limit: 2']),
  gatePipeline('append_delayed', ['queue_limit: 1', 'start_delay: 10s']),
  gatePipeline('replace_default', ['queue_strategy: replace']),
  gatePipeline('replace_none', ['queue_strategy: replace', 'queue_limit: 0']),
  gatePipeline('replace_one', ['queue_strategy: replace', 'queue_limit: 1', 'start_delay: 1500ms']),
  gatePipeline('replace_two', ['queue_strategy: replace', 'queue_limit: 2', 'start_delay: 1500ms']),
  gatePipeline('partitioned', [
    'queue_strategy: partitioned_replace',
    'queue_partition_limit: 2',
    'start_delay: 2s',
  ]),
)

let prunner: PrunnerProcess

beforeAll(async () => {
  prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
})

afterAll(async () => {
  await releaseAllAndSettle(prunner)
  await cleanupPrunners()
})

describe('admission with queue_strategy append', () => {
  test('queues every job behind a busy slot without a queue_limit and runs them in order', async () => {
    const first = await scheduleOk(prunner, 'append_unbounded')
    await waitStarted(prunner, first)
    const queued = [
      await scheduleOk(prunner, 'append_unbounded'),
      await scheduleOk(prunner, 'append_unbounded'),
      await scheduleOk(prunner, 'append_unbounded'),
    ]
    for (const id of queued) {
      const job = await detail(prunner, id)
      expect([job.start, job.canceled, job.tasks[0]?.status]).toEqual([null, false, 'waiting'])
    }
    expect(await flags(prunner, 'append_unbounded')).toMatchObject({
      running: true,
      schedulable: true,
    })

    expect(await runOneByOne(prunner, 'append_unbounded', 4)).toEqual([first, ...queued])
    await waitCompleted(prunner, queued[2] as string)
    expect(await flags(prunner, 'append_unbounded')).toMatchObject({ running: false })
  })

  test('with queue_limit 0 starts jobs while slots are free and rejects the rest', async () => {
    const first = await scheduleOk(prunner, 'append_none')
    const second = await scheduleOk(prunner, 'append_none')
    await waitStarted(prunner, first)
    await waitStarted(prunner, second)
    expect(await schedule(prunner, 'append_none')).toEqual({
      status: 400,
      body: { error: QUEUEING_DISABLED },
    })
    expect(await flags(prunner, 'append_none')).toMatchObject({
      running: true,
      schedulable: false,
    })

    release(prunner, first)
    await waitCompleted(prunner, first)
    expect(await flags(prunner, 'append_none')).toMatchObject({ schedulable: true })
    const third = await scheduleOk(prunner, 'append_none')
    await waitStarted(prunner, third)
    release(prunner, second)
    release(prunner, third)
    await waitCompleted(prunner, third)
  })

  test('with queue_limit 2 rejects a third waiting job until a waiting job is canceled', async () => {
    const running = await scheduleOk(prunner, 'append_two')
    await waitStarted(prunner, running)
    const second = await scheduleOk(prunner, 'append_two')
    const third = await scheduleOk(prunner, 'append_two')
    expect(await schedule(prunner, 'append_two')).toEqual({
      status: 400,
      body: { error: QUEUE_FULL },
    })
    expect(await flags(prunner, 'append_two')).toMatchObject({
      running: true,
      schedulable: false,
    })

    expect(await cancel(prunner, second)).toEqual({ status: 200, body: true })
    expect(await flags(prunner, 'append_two')).toMatchObject({ schedulable: true })
    const fourth = await scheduleOk(prunner, 'append_two')

    expect(await runOneByOne(prunner, 'append_two', 3)).toEqual([running, third, fourth])
    expect((await detail(prunner, second)).start).toBeNull()
  })

  test('counts delayed jobs for queue_limit even while a slot is free', async () => {
    const delayed = await scheduleOk(prunner, 'append_delayed')
    expect(await schedule(prunner, 'append_delayed')).toEqual({
      status: 400,
      body: { error: QUEUE_FULL },
    })
    expect((await detail(prunner, delayed)).start).toBeNull()
    expect(await flags(prunner, 'append_delayed')).toEqual({
      pipeline: 'append_delayed',
      running: false,
      schedulable: false,
    })

    expect(await cancel(prunner, delayed)).toEqual({ status: 200, body: true })
    expect(await flags(prunner, 'append_delayed')).toMatchObject({ schedulable: true })
  })
})

describe('admission with queue_strategy replace', () => {
  test('without queue_limit keeps one waiting job and replaces it with the newest', async () => {
    const running = await scheduleOk(prunner, 'replace_default')
    await waitStarted(prunner, running)
    const replaced = await scheduleOk(prunner, 'replace_default')
    const newest = await scheduleOk(prunner, 'replace_default')

    const job = await detail(prunner, replaced)
    expect(job).toMatchObject({
      completed: false,
      canceled: true,
      start: null,
      end: null,
      lastError: `replaced by job ${newest}`,
    })
    expect(job.tasks.map((task) => task.status)).toEqual(['canceled'])
    expect(await flags(prunner, 'replace_default')).toMatchObject({
      running: true,
      schedulable: true,
    })
    expect(await runOneByOne(prunner, 'replace_default', 2)).toEqual([running, newest])
  })

  test('with queue_limit 0 rejects every job that cannot start at once', async () => {
    const running = await scheduleOk(prunner, 'replace_none')
    await waitStarted(prunner, running)
    expect(await schedule(prunner, 'replace_none')).toEqual({
      status: 400,
      body: { error: QUEUEING_DISABLED },
    })
    expect(await flags(prunner, 'replace_none')).toMatchObject({ schedulable: false })
    release(prunner, running)
    await waitCompleted(prunner, running)
    expect(await flags(prunner, 'replace_none')).toMatchObject({ schedulable: true })
  })

  test('with queue_limit 1 and a start delay runs only the job that replaced the first', async () => {
    const first = await scheduleOk(prunner, 'replace_one')
    expect(await detail(prunner, first)).toMatchObject({ start: null, canceled: false })
    const second = await scheduleOk(prunner, 'replace_one')
    expect(await detail(prunner, first)).toMatchObject({
      canceled: true,
      lastError: `replaced by job ${second}`,
    })

    expect(await runOneByOne(prunner, 'replace_one', 1)).toEqual([second])
    await waitCompleted(prunner, second)
    expect((await detail(prunner, first)).start).toBeNull()
  })

  test('with queue_limit 2 and a start delay never replaces the first waiting job', async () => {
    const first = await scheduleOk(prunner, 'replace_two')
    const second = await scheduleOk(prunner, 'replace_two')
    const third = await scheduleOk(prunner, 'replace_two')
    expect(await detail(prunner, first)).toMatchObject({ canceled: false, start: null })
    expect(await detail(prunner, second)).toMatchObject({
      canceled: true,
      lastError: `replaced by job ${third}`,
    })

    expect(await runOneByOne(prunner, 'replace_two', 2)).toEqual([first, third])
    await waitCompleted(prunner, third)
    expect((await detail(prunner, second)).start).toBeNull()
  })
})

describe('admission with queue_strategy partitioned_replace', () => {
  test('replaces the last job of the same partition and appends the new job at the end', async () => {
    const a1 = await scheduleOk(prunner, 'partitioned', { queuePartition: 'A' })
    const a2 = await scheduleOk(prunner, 'partitioned', { queuePartition: 'A' })
    const b1 = await scheduleOk(prunner, 'partitioned', { queuePartition: 'B' })
    const b2 = await scheduleOk(prunner, 'partitioned', { queuePartition: 'B' })
    const b3 = await scheduleOk(prunner, 'partitioned', { queuePartition: 'B' })
    expect(await detail(prunner, b2)).toMatchObject({
      canceled: true,
      lastError: `replaced by job ${b3}`,
    })
    for (const id of [a1, a2, b1]) {
      expect((await detail(prunner, id)).canceled).toBe(false)
    }

    const a3 = await scheduleOk(prunner, 'partitioned', { queuePartition: 'A' })
    expect((await detail(prunner, a2)).lastError).toBe(`replaced by job ${a3}`)
    // A missing and a null queuePartition are the same partition "".
    const n1 = await scheduleOk(prunner, 'partitioned')
    const n2 = await scheduleOk(prunner, 'partitioned', { queuePartition: null })
    const n3 = await scheduleOk(prunner, 'partitioned')
    expect((await detail(prunner, n2)).lastError).toBe(`replaced by job ${n3}`)
    expect((await detail(prunner, n1)).canceled).toBe(false)
    expect(await flags(prunner, 'partitioned')).toMatchObject({ schedulable: true })

    expect(await runOneByOne(prunner, 'partitioned', 6)).toEqual([a1, b1, b3, a3, n1, n3])
    await waitFor(async () => !(await flags(prunner, 'partitioned')).running)
    expect(startOrder(prunner, 'partitioned')).not.toContain(b2)
  })
})
