import { describe, expect, test } from 'bun:test'
import { toJobJson } from '../../src/server/index.ts'
import { stringifyJson } from '../../src/server/json.ts'
import { JOB_WIRE_KEYS, makeJob, makeTask } from './helpers.ts'

describe('toJobJson', () => {
  test('shows a queued job with null times, no lastError and no variables', () => {
    const job = makeJob({ tasks: [makeTask({ name: 'build' })], variables: {} })
    expect(stringifyJson(toJobJson(job))).toBe(
      '{"id":"0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11","pipeline":"deploy",' +
        '"tasks":[{"name":"build","status":"waiting","start":null,"end":null,"skipped":false,' +
        '"exitCode":0,"errored":false}],"completed":false,"canceled":false,"errored":false,' +
        '"created":"2025-08-15T12:00:00Z","start":null,"end":null,"user":""}',
    )
  })

  test('keeps the wire key order whatever optional keys are present', () => {
    const json = toJobJson(
      makeJob({
        lastError: 'job canceled',
        variables: { a: 1 },
        tasks: [makeTask({ name: 't', dependsOn: ['s'], error: 'boom', errored: true })],
      }),
    )
    expect(Object.keys(json)).toEqual(JOB_WIRE_KEYS)
    expect(Object.keys(json.tasks[0] ?? {})).toEqual([
      'name',
      'dependsOn',
      'status',
      'start',
      'end',
      'skipped',
      'exitCode',
      'errored',
      'error',
    ])
  })

  test('derives skipped from the status and errored from any task', () => {
    const json = toJobJson(
      makeJob({
        tasks: [
          makeTask({ name: 'a', status: 'error', errored: true, error: 'exit status 1' }),
          makeTask({ name: 'b', status: 'skipped' }),
        ],
      }),
    )
    expect(json.errored).toBe(true)
    expect(json.tasks.map((task) => task.skipped)).toEqual([false, true])
  })

  test('truncates times to whole seconds', () => {
    const json = toJobJson(makeJob({ start: Date.UTC(2025, 0, 2, 3, 4, 5, 999) }))
    expect(json.start).toBe('2025-01-02T03:04:05Z')
  })

  test('writes variables with keys sorted byte-wise at every level', () => {
    const variables = {
      z: 1,
      '10': 'ten',
      '2': 'two',
      B: { y: [{ d: 1, c: 2 }], x: null },
      a: 'value',
      é: 1,
      '😀': 2,
      '\uffff': 3,
    }
    const text = stringifyJson(toJobJson(makeJob({ variables })))
    expect(text).toContain(
      '"variables":{"10":"ten","2":"two","B":{"x":null,"y":[{"c":2,"d":1}]},"a":"value","z":1,' +
        '"é":1,"\uffff":3,"😀":2}',
    )
  })

  test('does not change the variables it is given', () => {
    const variables = { b: 1, a: { d: 1, c: 2 } }
    toJobJson(makeJob({ variables }))
    expect(JSON.stringify(variables)).toBe('{"b":1,"a":{"d":1,"c":2}}')
  })
})
