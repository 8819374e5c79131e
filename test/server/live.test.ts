import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EventHub } from '../../src/events/index.ts'
import { Logger } from '../../src/log/index.ts'
import { createApp, type HttpServer, listen } from '../../src/server/index.ts'
import { readTextUntil } from '../helpers/streams.ts'
import { waitFor } from '../helpers/wait.ts'
import { FakeScheduler, makeJob, makeTask, SECRET, validToken } from './helpers.ts'

const ID = '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11'
let dir = ''
let server: HttpServer | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prunner-live-'))
})
afterEach(async () => {
  await server?.stop(true)
  server = undefined
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A real server on 127.0.0.1 and a free port, over a fake scheduler. */
async function start() {
  const scheduler = new FakeScheduler()
  const events = new EventHub({ bootId: 'live' })
  const logger = new Logger({ sink: () => {}, level: 'error' })
  const app = createApp({
    scheduler,
    secret: SECRET,
    logger,
    enableProfiling: false,
    startedAtMs: Date.now(),
    events,
    heartbeatMs: 50,
  })
  server = await listen({ app, address: '127.0.0.1:0', logger })
  const url = (path: string) => `http://127.0.0.1:${server?.port}${path}`
  const get = (path: string, init: RequestInit = {}) =>
    fetch(url(path), {
      ...init,
      headers: { Authorization: `Bearer ${validToken()}`, ...init.headers },
    })
  return { scheduler, events, get, url }
}

describe('GET /events over a socket', () => {
  test('needs a token like the API', async () => {
    const { url } = await start()
    const response = await fetch(url('/events'))
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('no token found\n')
  })

  test('streams events and heartbeats and resumes from Last-Event-ID', async () => {
    const { events, get } = await start()
    const response = await get('/events')
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await waitFor(() => events.subscriberCount === 1, { what: 'the subscription' })
    events.jobChanged(makeJob({ start: 1 }))
    const text = await readTextUntil(
      reader,
      (t) => t.includes('event: job.started') && t.includes(': heartbeat'),
    )
    expect(text).toContain('id: live-2')
    await reader.cancel()

    const resumed = await get('/events', { headers: { 'Last-Event-ID': 'live-1' } })
    const resumedReader = (resumed.body as ReadableStream<Uint8Array>).getReader()
    const replay = await readTextUntil(resumedReader, (t) => t.includes('id: live-2'))
    expect(replay).not.toContain('id: live-1\n')
    await resumedReader.cancel()
  })

  test('forgets a client that disconnects, with no subscription left behind', async () => {
    const { events, get } = await start()
    const controllers = Array.from({ length: 5 }, () => new AbortController())
    const responses = await Promise.all(
      controllers.map((c) => get('/events', { signal: c.signal })),
    )
    expect(responses.every((r) => r.status === 200)).toBe(true)
    await waitFor(() => events.subscriberCount === 5, { what: 'five subscriptions' })
    for (const controller of controllers) {
      controller.abort()
    }
    await waitFor(() => events.subscriberCount === 0, {
      what: 'disconnected clients to be dropped',
    })
  })
})

describe('GET /job/logs/stream', () => {
  test('streams a growing log from an offset and ends when the task ends', async () => {
    const { scheduler, get } = await start()
    const stdout = join(dir, 'grow-stdout.log')
    await writeFile(stdout, 'first line\n')
    const job = makeJob({
      start: 1,
      tasks: [makeTask({ name: 'build', status: 'running', start: 1 })],
    })
    scheduler.jobs = [job]
    scheduler.files.set(`${ID}/build`, { stdout, stderr: join(dir, 'grow-stderr.log') })

    const response = await get(`/job/logs/stream?id=${ID}&task=build&stream=stdout&offset=6`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    expect(await readTextUntil(reader, (t) => t.includes('\n'))).toBe('line\n')

    await appendFile(stdout, 'second ✓ line\n')
    expect(await readTextUntil(reader, (t) => t.includes('second'))).toBe('second ✓ line\n')

    await appendFile(stdout, 'last words\n')
    job.tasks[0] = makeTask({ name: 'build', status: 'done', start: 1, end: 2 })
    expect(await readTextUntil(reader, () => false)).toBe('last words\n')
  })

  test('waits for a log that does not exist yet', async () => {
    const { scheduler, get } = await start()
    const stderr = join(dir, 'late-stderr.log')
    const job = makeJob({ start: 1, tasks: [makeTask({ name: 'late' })] })
    scheduler.jobs = [job]
    scheduler.files.set(`${ID}/late`, { stdout: join(dir, 'late-stdout.log'), stderr })
    // Bun sends the headers with the first body bytes, so the response is awaited only later.
    const response = get(`/job/logs/stream?id=${ID}&task=late&stream=stderr`)
    await Bun.sleep(300)
    await writeFile(stderr, 'oops\n')
    job.tasks[0] = makeTask({ name: 'late', status: 'error', start: 1, end: 2, errored: true })
    expect(await (await response).text()).toBe('oops\n')
  })

  test('checks its parameters in order and answers a finished task at once', async () => {
    const { scheduler, get } = await start()
    scheduler.jobs = [
      makeJob({
        completed: true,
        start: 1,
        end: 2,
        tasks: [makeTask({ name: 'build', status: 'done' })],
      }),
    ]
    const cases: [string, number, string][] = [
      ['id=x&task=build', 400, 'Invalid job id'],
      [`id=${ID}`, 400, 'Invalid task name'],
      [`id=${ID}&task=build&stream=both`, 400, 'Invalid stream'],
      [`id=${ID}&task=build&offset=-1`, 400, 'Invalid offset'],
      ['id=00000000-0000-4000-8000-000000000000&task=build', 404, 'Job not found'],
      [`id=${ID}&task=nope`, 404, 'Task not found'],
    ]
    for (const [query, status, error] of cases) {
      const response = await get(`/job/logs/stream?${query}`)
      expect({ query, status: response.status, body: await response.json() }).toEqual({
        query,
        status,
        body: { error },
      })
    }
    const done = await get(`/job/logs/stream?id=${ID}&task=build`)
    expect(await done.text()).toBe('')
  })
})
