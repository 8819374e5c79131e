import { describe, expect, test } from 'bun:test'
import { stringifyJson, toJobJson } from '../../src/server/index.ts'
import { MAX_VARIABLES_DEPTH } from '../../src/server/variables.ts'
import { makeJob, req, setup } from './helpers.ts'

function schedule(app: ReturnType<typeof setup>['app'], body: string) {
  return req(app, '/pipelines/schedule', { method: 'POST', body })
}

describe('variables of a schedule request', () => {
  test('replace unpaired surrogates with U+FFFD so responses stay valid UTF-8', async () => {
    const { app, scheduler } = setup()
    const response = await schedule(
      app,
      '{"pipeline":"p","variables":{"x":"a\\ud800b","\\udc00":["\\ud83d"]}}',
    )
    expect(response.status).toBe(202)
    expect(scheduler.scheduled[0]?.variables).toEqual({ x: 'a\ufffdb', '\ufffd': ['\ufffd'] })
  })

  test('keep a __proto__ key as an ordinary key, also in the job JSON', async () => {
    const { app, scheduler } = setup()
    await schedule(app, '{"pipeline":"p","variables":{"__proto__":{"polluted":"yes"},"a":1}}')
    const variables = scheduler.scheduled[0]?.variables ?? {}
    expect(Object.keys(variables)).toEqual(['__proto__', 'a'])
    expect(Object.getPrototypeOf(variables)).toBe(Object.prototype)
    const text = stringifyJson(toJobJson(makeJob({ variables })))
    expect(text).toContain('"variables":{"__proto__":{"polluted":"yes"},"a":1}')
  })

  test('reject numbers that do not fit a float64', async () => {
    const { app, scheduler } = setup()
    const response = await schedule(app, '{"pipeline":"p","variables":{"x":1e400}}')
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: 'Error decoding JSON: variables: number out of range',
    })
    expect(scheduler.scheduled).toHaveLength(0)
  })

  test('reject nesting deeper than PHP clients can decode, without overflowing the stack', async () => {
    const { app, scheduler } = setup()
    for (const depth of [MAX_VARIABLES_DEPTH, 100_000]) {
      const body = `{"pipeline":"p","variables":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`
      const response = await schedule(app, body)
      expect(response.status).toBe(400)
      expect(await response.json()).toEqual({
        error: `Error decoding JSON: variables: nested deeper than ${MAX_VARIABLES_DEPTH} levels`,
      })
    }
    const shallow = `{"pipeline":"p","variables":{"x":${'['.repeat(MAX_VARIABLES_DEPTH - 2)}${']'.repeat(MAX_VARIABLES_DEPTH - 2)}}}`
    expect((await schedule(app, shallow)).status).toBe(202)
    expect(scheduler.scheduled).toHaveLength(1)
  })
})
