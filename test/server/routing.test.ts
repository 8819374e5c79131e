import { describe, expect, test } from 'bun:test'
import { req, setup } from './helpers.ts'

const NOT_FOUND = '404 page not found\n'

describe('routing', () => {
  test('answers unknown paths outside the protected prefixes with 404 and no authentication', async () => {
    const { app } = setup()
    for (const path of ['/', '/nope', '/pipelinesx', '/jobsx', '/%70ipelines', '/debug/vars']) {
      const response = await req(app, path, { token: null })
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(await response.text()).toBe(NOT_FOUND)
    }
  })

  test('answers unknown paths under a protected prefix with 401 before routing', async () => {
    const { app } = setup()
    for (const path of ['/pipelines/nope', '/job', '/job/', '/job/detail/', '/job/other']) {
      const response = await req(app, path, { token: null })
      expect(response.status).toBe(401)
      expect(await response.text()).toBe('no token found\n')
    }
  })

  test('answers unknown paths under a protected prefix with 404 after authentication', async () => {
    const { app } = setup()
    for (const path of [
      '/pipelines/nope',
      '/job',
      '/job/detail/',
      '/job/%64etail',
      '/pipelines/jobs/',
    ]) {
      const response = await req(app, path)
      expect(response.status).toBe(404)
      expect(await response.text()).toBe(NOT_FOUND)
    }
  })

  test('answers a wrong method with 401 without a token and 405 with one', async () => {
    const { app } = setup()
    expect((await req(app, '/job/cancel', { token: null })).status).toBe(401)
    const response = await req(app, '/job/cancel')
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    expect(await response.text()).toBe('')
  })

  test('answers HEAD, OPTIONS and other methods on known paths with 405 and an Allow header', async () => {
    const { app } = setup()
    const cases: [string, string, string][] = [
      ['HEAD', '/pipelines', 'GET'],
      ['OPTIONS', '/pipelines/jobs', 'GET'],
      ['POST', '/pipelines/', 'GET'],
      ['GET', '/pipelines/schedule', 'POST'],
      ['PUT', '/job/detail', 'GET'],
      ['DELETE', '/job/logs', 'GET'],
    ]
    for (const [method, path, allow] of cases) {
      const response = await req(app, path, { method })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe(allow)
      expect(await response.text()).toBe('')
    }
  })

  test('serves /pipelines/ as an alias of /pipelines', async () => {
    const { app, scheduler } = setup()
    scheduler.pipelines = [{ pipeline: 'a', schedulable: true, running: false }]
    const plain = await (await req(app, '/pipelines')).text()
    const slash = await (await req(app, '/pipelines/')).text()
    expect(slash).toBe(plain)
  })

  test('serves /debug/vars without authentication when profiling is enabled', async () => {
    const { app } = setup({ enableProfiling: true })
    const response = await req(app, '/debug/vars', { token: null })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toStartWith('application/json')
    const text = await response.text()
    expect(text.endsWith('}\n')).toBe(true)
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual(['uptimeSeconds', 'memory', 'jobs'])
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(5)
    expect(Object.keys(body.memory)).toEqual(['rss', 'heapUsed', 'heapTotal', 'external'])
    expect(body.jobs).toEqual({ running: 1, queued: 2 })
    expect((await req(app, '/debug/vars', { method: 'POST', token: null })).status).toBe(405)
  })

  test('does not serve the Go pprof endpoints even with profiling', async () => {
    const { app } = setup({ enableProfiling: true })
    expect((await req(app, '/debug/pprof/', { token: null })).status).toBe(404)
  })

  test('answers an unexpected handler error with a JSON 500 and keeps serving', async () => {
    const { app, scheduler, records } = setup()
    scheduler.listPipelines = () => {
      throw new Error('database exploded')
    }
    const response = await req(app, '/pipelines')
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('{"error":"Internal server error"}\n')
    expect(records.some((record) => record.level === 'error')).toBe(true)

    scheduler.listPipelines = () => []
    expect(await (await req(app, '/pipelines')).text()).toBe('{"pipelines":[]}\n')
  })
})
