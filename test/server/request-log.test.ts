import { describe, expect, test } from 'bun:test'
import { makeJob, makeTask, req, setup, validToken } from './helpers.ts'

describe('request log', () => {
  test('logs one http request line per request with the documented fields', async () => {
    const { app, records } = setup()
    await req(app, '/pipelines?x=1&y=2')
    const lines = records.filter((record) => record.msg === 'http request')
    expect(lines).toHaveLength(1)
    const [line] = lines
    expect(line?.level).toBe('info')
    expect(line?.fields).toMatchObject({
      component: 'api',
      method: 'GET',
      path: '/pipelines?x=1&y=2',
      status: 200,
      bytes: '{"pipelines":[]}\n'.length,
      remoteAddr: '',
    })
    expect(typeof line?.fields.durationMs).toBe('number')
  })

  test('logs rejected requests too and passes the remote address through', async () => {
    const { app, records } = setup()
    await app.handle(new Request('http://localhost/job/detail'), { remoteAddr: '127.0.0.1:5555' })
    expect(records.at(-1)?.fields).toMatchObject({
      status: 401,
      bytes: 'no token found\n'.length,
      remoteAddr: '127.0.0.1:5555',
    })
  })

  test('never logs tokens, cookies or other headers', async () => {
    const { app, records } = setup()
    const token = validToken()
    await req(app, '/pipelines', {
      token,
      headers: { Cookie: `jwt=${token}; session=secret-session` },
    })
    await req(app, '/pipelines/schedule', { method: 'POST', body: '{"pipeline":"p"}', token })
    const logged = JSON.stringify(records.map((record) => record.fields))
    expect(logged).not.toContain(token)
    expect(logged).not.toContain('secret-session')
    expect(logged.toLowerCase()).not.toContain('bearer')
  })

  test('logs the byte count of a streamed body once it has been sent', async () => {
    const { app, records, scheduler } = setup()
    scheduler.jobs = [makeJob({ tasks: [makeTask({ name: 'build' })] })]
    const response = await req(app, '/job/logs?id=0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11&task=build')
    expect(records.filter((record) => record.msg === 'http request')).toHaveLength(0)
    const body = await response.text()
    expect(records.at(-1)?.fields).toMatchObject({ status: 200, bytes: body.length })
  })
})
