import { describe, expect, test } from 'bun:test'
import { createEventStream, EventHub } from '../../src/events/index.ts'
import type { JobState } from '../../src/scheduler/index.ts'
import { readTextUntil } from '../helpers/streams.ts'
import { waitFor } from '../helpers/wait.ts'

function job(id: string): JobState {
  return {
    id,
    pipeline: 'p',
    seq: 1,
    created: 0,
    start: 1,
    end: null,
    completed: false,
    canceled: false,
    user: '',
    partition: '',
    snapshot: { tasks: [], env: {}, startDelayMs: 0, continueRunningTasksAfterFailure: false },
    tasks: [],
  }
}

const JOB_A = 'aaaaaaaa-0000-4000-8000-000000000000'
const JOB_B = 'bbbbbbbb-0000-4000-8000-000000000000'

describe('createEventStream', () => {
  test('sends live events as SSE frames with event, id and one-line JSON data', async () => {
    const hub = new EventHub({ bootId: 'b' })
    const reader = createEventStream({ hub, lastEventId: '' }).getReader()
    hub.jobChanged(job(JOB_A))
    const text = await readTextUntil(reader, (t) => t.includes('job.started'))
    expect(text).toStartWith('retry: 3000\n')
    expect(text).toContain(`event: job.created\nid: b-1\ndata: {"jobId":"${JOB_A}"`)
    await reader.cancel()
  })

  test('replays missed events after Last-Event-ID before live ones', async () => {
    const hub = new EventHub({ bootId: 'b' })
    hub.jobChanged(job(JOB_A))
    const reader = createEventStream({ hub, lastEventId: 'b-1' }).getReader()
    const text = await readTextUntil(reader, (t) => t.includes('id: b-2'))
    expect(text).not.toContain('id: b-1\n')
    expect(text).toContain('event: job.started\nid: b-2')
    await reader.cancel()
  })

  test('sends a reset event when the missed events are gone', async () => {
    const hub = new EventHub({ bootId: 'b' })
    hub.jobChanged(job(JOB_A))
    const reader = createEventStream({ hub, lastEventId: 'old-7' }).getReader()
    const text = await readTextUntil(reader, (t) => t.includes('event: reset'))
    expect(text).toContain('event: reset\nid: b-2\ndata: {}')
    await reader.cancel()
  })

  test('filters by job when asked', async () => {
    const hub = new EventHub({ bootId: 'b' })
    const reader = createEventStream({ hub, lastEventId: '', jobId: JOB_B }).getReader()
    hub.jobChanged(job(JOB_A))
    hub.jobChanged(job(JOB_B))
    const text = await readTextUntil(reader, (t) => t.includes('job.started'))
    expect(text).not.toContain(JOB_A)
    expect(text).toContain(JOB_B)
    await reader.cancel()
  })

  test('sends heartbeats while nothing happens', async () => {
    const hub = new EventHub()
    const reader = createEventStream({ hub, lastEventId: '', heartbeatMs: 30 }).getReader()
    const text = await readTextUntil(reader, (t) => t.includes(': heartbeat\n\n'))
    expect(text).toContain(': heartbeat\n\n')
    await reader.cancel()
  })

  test('unsubscribes when the reader cancels and when shouldClose turns true', async () => {
    const hub = new EventHub()
    const first = createEventStream({ hub, lastEventId: '' }).getReader()
    let isClosing = false
    const second = createEventStream({
      hub,
      lastEventId: '',
      shouldClose: () => isClosing,
    }).getReader()
    expect(hub.subscriberCount).toBe(2)
    await first.cancel()
    expect(hub.subscriberCount).toBe(1)
    isClosing = true
    await readTextUntil(second, () => false)
    await waitFor(() => hub.subscriberCount === 0, { what: 'the closed stream to unsubscribe' })
  })

  test('drops a client that stops reading instead of buffering without bound', async () => {
    const hub = new EventHub()
    createEventStream({ hub, lastEventId: '', maxQueuedFrames: 5 })
    for (let i = 0; i < 10; i++) {
      hub.jobChanged(job(`cccccccc-0000-4000-8000-00000000000${i}`))
    }
    expect(hub.subscriberCount).toBe(0)
  })
})
