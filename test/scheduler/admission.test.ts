import { describe, expect, test } from 'bun:test'
import { decideAdmission, isSchedulable } from '../../src/scheduler/admission.ts'
import type { JobState } from '../../src/store/job-types.ts'
import { makePipeline } from '../helpers/definitions.ts'

const pipeline = makePipeline

function queued(id: string, partition = ''): JobState {
  return {
    id,
    pipeline: 'p',
    seq: 1,
    created: 0,
    start: null,
    end: null,
    completed: false,
    canceled: false,
    user: '',
    partition,
    snapshot: { tasks: [], env: {}, startDelayMs: 0, continueRunningTasksAfterFailure: false },
    tasks: [],
  }
}

describe('admission', () => {
  test('starts at once while a slot is free and there is no start delay', () => {
    const decision = decideAdmission({
      definition: pipeline({ concurrency: 2 }),
      runningCount: 1,
      waitList: [],
      partition: '',
    })
    expect(decision).toEqual({ kind: 'start' })
  })

  test('appends to an unbounded wait list when every slot is taken', () => {
    const decision = decideAdmission({
      definition: pipeline(),
      runningCount: 1,
      waitList: [queued('a')],
      partition: '',
    })
    expect(decision).toEqual({ kind: 'queue' })
  })

  test('rejects with queue_limit 0 only when no slot is free', () => {
    const definition = pipeline({ queueLimit: 0 })
    expect(decideAdmission({ definition, runningCount: 0, waitList: [], partition: '' })).toEqual({
      kind: 'start',
    })
    expect(decideAdmission({ definition, runningCount: 1, waitList: [], partition: '' })).toEqual({
      kind: 'reject',
      reason: 'concurrency exceeded and queueing disabled for pipeline',
    })
  })

  test('rejects an append when the wait list is full', () => {
    const decision = decideAdmission({
      definition: pipeline({ queueLimit: 1 }),
      runningCount: 1,
      waitList: [queued('a')],
      partition: '',
    })
    expect(decision).toEqual({
      kind: 'reject',
      reason: 'concurrency exceeded and queue limit reached for pipeline',
    })
  })

  test('queues even with a free slot when a start delay is set', () => {
    const decision = decideAdmission({
      definition: pipeline({ startDelayMs: 1000 }),
      runningCount: 0,
      waitList: [],
      partition: '',
    })
    expect(decision).toEqual({ kind: 'queue' })
  })

  test('replaces the last waiting job, treating a missing queue_limit as 1', () => {
    const last = queued('b')
    const full = decideAdmission({
      definition: pipeline({ queueStrategy: 'replace' }),
      runningCount: 1,
      waitList: [last],
      partition: '',
    })
    expect(full).toEqual({ kind: 'queue', replace: last })
    const roomy = decideAdmission({
      definition: pipeline({ queueStrategy: 'replace', queueLimit: 2 }),
      runningCount: 1,
      waitList: [last],
      partition: '',
    })
    expect(roomy).toEqual({ kind: 'queue' })
  })

  test('replaces only within the request partition', () => {
    const a1 = queued('a1', 'A')
    const a2 = queued('a2', 'A')
    const b1 = queued('b1', 'B')
    const definition = pipeline({ queueStrategy: 'partitioned_replace', queuePartitionLimit: 2 })
    expect(
      decideAdmission({ definition, runningCount: 1, waitList: [a1, b1, a2], partition: 'A' }),
    ).toEqual({
      kind: 'queue',
      replace: a2,
    })
    expect(
      decideAdmission({ definition, runningCount: 1, waitList: [a1, b1, a2], partition: 'B' }),
    ).toEqual({
      kind: 'queue',
    })
  })

  test('reports schedulable exactly when a request would be accepted', () => {
    expect(
      isSchedulable({
        definition: pipeline({ queueLimit: 0 }),
        runningCount: 1,
        waitListLength: 0,
      }),
    ).toBe(false)
    expect(
      isSchedulable({
        definition: pipeline({ queueLimit: 1 }),
        runningCount: 1,
        waitListLength: 1,
      }),
    ).toBe(false)
    expect(
      isSchedulable({
        definition: pipeline({ queueLimit: 1 }),
        runningCount: 1,
        waitListLength: 0,
      }),
    ).toBe(true)
    expect(
      isSchedulable({
        definition: pipeline({ queueStrategy: 'replace', queueLimit: 1 }),
        runningCount: 1,
        waitListLength: 1,
      }),
    ).toBe(true)
  })
})
