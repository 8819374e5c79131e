import { describe, expect, test } from 'bun:test'
import { EventHub, type PrunnerEvent, type TaskEventData } from '../../src/events/index.ts'
import type { JobState, TaskState } from '../../src/scheduler/index.ts'

function task(name: string, overrides: Partial<TaskState> = {}): TaskState {
  return {
    name,
    dependsOn: [],
    status: 'waiting',
    start: null,
    end: null,
    exitCode: 0,
    errored: false,
    ...overrides,
  }
}

function job(overrides: Partial<JobState> = {}): JobState {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    pipeline: 'deploy',
    seq: 1,
    created: Date.UTC(2025, 7, 15, 12),
    start: null,
    end: null,
    completed: false,
    canceled: false,
    user: '',
    partition: '',
    snapshot: { tasks: [], env: {}, startDelayMs: 0, continueRunningTasksAfterFailure: false },
    tasks: [task('build'), task('ship', { dependsOn: ['build'] })],
    ...overrides,
  }
}

function record(hub: EventHub): PrunnerEvent[] {
  const seen: PrunnerEvent[] = []
  hub.subscribe((event) => seen.push(event))
  return seen
}

const describeEvent = (event: PrunnerEvent) => {
  const data = event.data as TaskEventData
  return data.task
    ? `${event.type}:${data.task.name}:${data.task.status}`
    : `${event.type}:${data.status}`
}

describe('EventHub', () => {
  test('reports a job that starts at once as created then started, never as queued', async () => {
    const hub = new EventHub({ bootId: 'b' })
    const seen = record(hub)
    const state = job()
    hub.jobChanged(state)
    state.start = Date.now()
    hub.jobChanged(state)
    await Promise.resolve()
    expect(seen.map(describeEvent)).toEqual(['job.created:queued', 'job.started:running'])
  })

  test('reports a job that has to wait as created then queued', async () => {
    const hub = new EventHub({ bootId: 'b' })
    const seen = record(hub)
    hub.jobChanged(job())
    await Promise.resolve()
    expect(seen.map(describeEvent)).toEqual(['job.created:queued', 'job.queued:queued'])
  })

  test('reports task starts and ends and the job end from whole-job commits', () => {
    const hub = new EventHub({ bootId: 'b' })
    const state = job({ start: 1000 })
    hub.jobChanged(state)
    const seen = record(hub)
    state.tasks[0] = task('build', { status: 'running', start: 1000 })
    hub.jobChanged(state)
    // Build ends and ship starts and fails before the next commit: every step is still reported.
    state.tasks[0] = task('build', { status: 'done', start: 1000, end: 3500 })
    state.tasks[1] = task('ship', {
      status: 'error',
      start: 3500,
      end: 4000,
      exitCode: 3,
      errored: true,
      error: 'exit status 3',
    })
    state.completed = true
    state.end = 4000
    hub.jobChanged(state)
    expect(seen.map(describeEvent)).toEqual([
      'task.started:build:running',
      'task.finished:build:done',
      'task.started:ship:error',
      'task.finished:ship:error',
      'job.finished:error',
    ])
    expect((seen[1] as PrunnerEvent & { data: TaskEventData }).data.durationMs).toBe(2500)
    expect(hub.trackedJobCount).toBe(0)
  })

  test('numbers events with the boot id and an increasing sequence', () => {
    const hub = new EventHub({ bootId: 'boot1' })
    const seen = record(hub)
    hub.jobChanged(job({ start: 1 }))
    expect(seen.map((event) => event.id)).toEqual(['boot1-1', 'boot1-2'])
    expect(hub.lastEventId).toBe('boot1-2')
  })

  test('replays the events after a Last-Event-ID that the buffer still holds', () => {
    const hub = new EventHub({ bootId: 'b' })
    const state = job({ start: 1 })
    hub.jobChanged(state)
    state.tasks[0] = task('build', { status: 'running', start: 1 })
    hub.jobChanged(state)
    const resume = hub.resume('b-1')
    expect(resume.kind).toBe('replay')
    expect(resume.kind === 'replay' && resume.events.map((event) => event.id)).toEqual([
      'b-2',
      'b-3',
    ])
    expect(hub.resume('b-3')).toEqual({ kind: 'replay', events: [] })
  })

  test('answers a reset for ids of another process, from the future, or older than the buffer', () => {
    const hub = new EventHub({ bootId: 'b', capacity: 2 })
    for (let i = 0; i < 3; i++) {
      hub.jobChanged(
        job({ id: `00000000-0000-4000-8000-00000000000${i}`, completed: true, canceled: true }),
      )
    }
    expect(hub.resume('other-1').kind).toBe('reset')
    expect(hub.resume('b-9').kind).toBe('reset')
    expect(hub.resume('garbage').kind).toBe('reset')
    expect(hub.resume('b-0').kind).toBe('reset')
    expect(hub.resume('b-1')).toMatchObject({ kind: 'replay' })
  })

  test('keeps a failing listener from reaching the scheduler', () => {
    const hub = new EventHub({ bootId: 'b' })
    hub.subscribe(() => {
      throw new Error('listener broke')
    })
    const seen = record(hub)
    expect(() => hub.jobChanged(job({ start: 1 }))).not.toThrow()
    expect(seen).toHaveLength(2)
  })

  test('does not report a seeded queued job as new when it starts after a restart', () => {
    const hub = new EventHub({ bootId: 'b' })
    const state = job()
    hub.seed([state])
    const seen = record(hub)
    state.start = 5
    hub.jobChanged(state)
    expect(seen.map(describeEvent)).toEqual(['job.started:running'])
  })

  test('reports a queued job canceled before it started as finished without task events', async () => {
    const hub = new EventHub({ bootId: 'b' })
    const state = job()
    hub.jobChanged(state)
    await Promise.resolve()
    const seen = record(hub)
    Object.assign(state, {
      canceled: true,
      tasks: state.tasks.map((t) => ({ ...t, status: 'canceled' })),
    })
    hub.jobChanged(state)
    expect(seen.map(describeEvent)).toEqual(['job.finished:canceled'])
    expect(hub.trackedJobCount).toBe(0)
  })
})
