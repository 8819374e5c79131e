import { describe, expect, test } from 'bun:test'
import { EventHub } from '../../src/events/index.ts'
import { Logger } from '../../src/log/index.ts'
import { createApp } from '../../src/server/index.ts'
import { FakeScheduler, makeJob, makeTask, req, SECRET } from './helpers.ts'
import { parsePrometheusText } from './prometheus-text.ts'

function setupApp(options: { metricsPublic?: boolean } = {}) {
  const scheduler = new FakeScheduler()
  const events = new EventHub({ bootId: 't' })
  const app = createApp({
    scheduler,
    secret: SECRET,
    logger: new Logger({ sink: () => {}, level: 'error' }),
    enableProfiling: false,
    startedAtMs: Date.now() - 61_000,
    events,
    version: '9.8.7',
    metricsPublic: options.metricsPublic ?? false,
  })
  return { app, scheduler, events }
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

describe('GET /health', () => {
  test('answers 200 with version and uptime without a token', async () => {
    const { app } = setupApp()
    const response = await req(app, '/health', { token: null })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok', version: '9.8.7', uptimeSeconds: 61 })
  })

  test('answers 503 once a shutdown has begun', async () => {
    const { app, scheduler } = setupApp()
    scheduler.shuttingDown = true
    const response = await req(app, '/health', { token: null })
    expect(response.status).toBe(503)
    expect(((await response.json()) as { status: string }).status).toBe('shutting down')
  })

  test('allows only GET', async () => {
    const { app } = setupApp()
    const response = await req(app, '/health', { method: 'POST', token: null })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
  })
})

describe('GET /metrics', () => {
  test('needs a token unless --metrics-public is given', async () => {
    expect((await req(setupApp().app, '/metrics', { token: null })).status).toBe(401)
    const open = await req(setupApp({ metricsPublic: true }).app, '/metrics', { token: null })
    expect(open.status).toBe(200)
    expect(open.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
  })

  test('exposes jobs by status, queue lengths, running tasks and task durations in valid text format', async () => {
    const { app, scheduler, events } = setupApp()
    scheduler.pipelines = [
      { pipeline: 'deploy', schedulable: true, running: true },
      { pipeline: 'say "hi"\\', schedulable: true, running: false },
    ]
    const running = makeJob({
      id: uuid(1),
      start: 1000,
      tasks: [makeTask({ name: 'a', status: 'running', start: 1000 })],
    })
    scheduler.jobs = [
      running,
      makeJob({ id: uuid(2) }),
      makeJob({ id: uuid(3) }),
      makeJob({
        id: uuid(4),
        start: 1,
        end: 2,
        completed: true,
        tasks: [makeTask({ name: 'a', status: 'error', errored: true })],
      }),
      makeJob({ id: uuid(5), pipeline: 'say "hi"\\', start: 1, end: 2, completed: true }),
    ]
    events.jobChanged(running)
    running.tasks[0] = makeTask({ name: 'a', status: 'done', start: 1000, end: 3500 })
    events.jobChanged(running)
    running.tasks[0] = makeTask({ name: 'a', status: 'running', start: 1000 })

    const text = await (await req(app, '/metrics')).text()
    const families = parsePrometheusText(text)
    const samples = [...families.values()].flatMap((family) => family.samples)
    const value = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))
        ?.value

    expect(value('prunner_jobs', { pipeline: 'deploy', status: 'queued' })).toBe(2)
    expect(value('prunner_jobs', { pipeline: 'deploy', status: 'running' })).toBe(1)
    expect(value('prunner_jobs', { pipeline: 'deploy', status: 'error' })).toBe(1)
    expect(value('prunner_jobs', { pipeline: 'say "hi"\\', status: 'done' })).toBe(1)
    expect(value('prunner_queue_length', { pipeline: 'deploy' })).toBe(2)
    expect(value('prunner_queue_length', { pipeline: 'say "hi"\\' })).toBe(0)
    expect(value('prunner_running_tasks', { pipeline: 'deploy' })).toBe(1)
    expect(value('prunner_build_info', { version: '9.8.7' })).toBe(1)
    expect(families.get('prunner_task_duration_seconds')?.type).toBe('histogram')
    const labels = { pipeline: 'deploy', status: 'done' }
    expect(value('prunner_task_duration_seconds_count', labels)).toBe(1)
    expect(value('prunner_task_duration_seconds_sum', labels)).toBe(2.5)
    expect(value('prunner_task_duration_seconds_bucket', { ...labels, le: '1' })).toBe(0)
    expect(value('prunner_task_duration_seconds_bucket', { ...labels, le: '5' })).toBe(1)
  })
})
