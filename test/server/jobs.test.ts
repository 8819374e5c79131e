import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrunnerError } from '../../src/shared/errors.ts'
import { makeJob, makeTask, req, setup } from './helpers.ts'

const ID = '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11'
const at = (time: string) => Date.parse(`2025-08-15T${time}Z`)

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prunner-server-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function read(response: Response) {
  return { status: response.status, body: await response.text() }
}

function withJob() {
  const context = setup()
  context.scheduler.jobs = [makeJob({ tasks: [makeTask({ name: 'build' })] })]
  return context
}

describe('GET /job/detail', () => {
  test('returns the job of the spec example byte for byte', async () => {
    const { app, scheduler } = setup()
    scheduler.jobs = [
      makeJob({
        created: at('12:00:00.900'),
        start: at('12:00:00.100'),
        end: at('12:00:02.999'),
        completed: true,
        lastError: 'exit status 3',
        variables: { tag: 'v1' },
        user: 'jane',
        tasks: [
          makeTask({ name: 'build', status: 'done', start: at('12:00:00'), end: at('12:00:01') }),
          makeTask({
            name: 'ship',
            dependsOn: ['build'],
            status: 'error',
            start: at('12:00:01'),
            end: at('12:00:02'),
            exitCode: 3,
            errored: true,
            error: 'exit status 3',
          }),
        ],
      }),
    ]
    const response = await req(app, `/job/detail?id=${ID}`)
    expect(response.headers.get('content-type')).toStartWith('application/json')
    expect(await response.text()).toBe(
      `{"id":"${ID}","pipeline":"deploy",` +
        '"tasks":[{"name":"build","status":"done","start":"2025-08-15T12:00:00Z",' +
        '"end":"2025-08-15T12:00:01Z","skipped":false,"exitCode":0,"errored":false},' +
        '{"name":"ship","dependsOn":["build"],"status":"error","start":"2025-08-15T12:00:01Z",' +
        '"end":"2025-08-15T12:00:02Z","skipped":false,"exitCode":3,"errored":true,' +
        '"error":"exit status 3"}],' +
        '"completed":true,"canceled":false,"errored":true,"created":"2025-08-15T12:00:00Z",' +
        '"start":"2025-08-15T12:00:00Z","end":"2025-08-15T12:00:02Z","lastError":"exit status 3",' +
        '"variables":{"tag":"v1"},"user":"jane"}\n',
    )
  })

  test('accepts the job id in every form the Go original accepts', async () => {
    const { app } = withJob()
    const forms = [
      ID,
      ID.toUpperCase(),
      ID.replaceAll('-', ''),
      ID.replaceAll('-', '').toUpperCase(),
      `{${ID}}`,
      `urn:uuid:${ID}`,
      `URN:UUID:${ID.toUpperCase()}`,
    ]
    for (const form of forms) {
      const response = await req(app, `/job/detail?id=${encodeURIComponent(form)}`)
      expect(response.status).toBe(200)
      expect(JSON.parse(await response.text()).id).toBe(ID)
    }
  })

  test('answers a missing or malformed id with 400 Invalid job id', async () => {
    const { app } = withJob()
    const bad = [
      '',
      '?',
      'id=',
      'id=abc',
      `id=${ID}0`,
      `id={${ID.replaceAll('-', '')}}`,
      `id=${ID.replace('0', 'g')}`,
    ]
    for (const query of bad) {
      expect(await read(await req(app, `/job/detail?${query}`))).toEqual({
        status: 400,
        body: '{"error":"Invalid job id"}\n',
      })
    }
  })

  test('answers an unknown id with 404 Job not found', async () => {
    const { app } = withJob()
    const other = '11111111-2222-4333-8444-555555555555'
    expect(await read(await req(app, `/job/detail?id=${other}`))).toEqual({
      status: 404,
      body: '{"error":"Job not found"}\n',
    })
  })
})

describe('POST /job/cancel', () => {
  test('cancels by canonical id and answers true', async () => {
    const { app, scheduler } = withJob()
    const response = await req(app, `/job/cancel?id=${ID.toUpperCase()}`, {
      method: 'POST',
      body: 'ignored',
    })
    expect(await read(response)).toEqual({ status: 200, body: 'true\n' })
    expect(response.headers.get('content-type')).toStartWith('application/json')
    expect(scheduler.canceled).toEqual([ID])
  })

  test('maps invalid ids, unknown jobs and failed cancels to 400, 404 and 500', async () => {
    const { app, scheduler } = withJob()
    expect(await read(await req(app, '/job/cancel?id=nope', { method: 'POST' }))).toEqual({
      status: 400,
      body: '{"error":"Invalid job id"}\n',
    })
    scheduler.cancelError = new PrunnerError('JOB_NOT_FOUND', 'no such job')
    expect(await read(await req(app, `/job/cancel?id=${ID}`, { method: 'POST' }))).toEqual({
      status: 404,
      body: '{"error":"Job not found"}\n',
    })
    scheduler.cancelError = new PrunnerError('CANCEL_FAILED', 'job is completed')
    expect(await read(await req(app, `/job/cancel?id=${ID}`, { method: 'POST' }))).toEqual({
      status: 500,
      body: '{"error":"Error canceling job"}\n',
    })
  })
})

describe('GET /job/logs', () => {
  function withLogs(stdout: string, stderr: string) {
    const context = withJob()
    context.scheduler.files.set(`${ID}/build`, { stdout, stderr })
    return context
  }

  test('checks id, task name, job and task in that order', async () => {
    const { app } = withJob()
    const unknown = '11111111-2222-4333-8444-555555555555'
    const cases: [string, number, string][] = [
      ['id=bad&task=', 400, 'Invalid job id'],
      [`id=${unknown}&task=`, 400, 'Invalid task name'],
      [`id=${unknown}`, 400, 'Invalid task name'],
      [`id=${unknown}&task=build`, 404, 'Job not found'],
      [`id=${ID}&task=ship`, 404, 'Task not found'],
      [`id=${ID}&task=on_error`, 404, 'Task not found'],
    ]
    for (const [query, status, message] of cases) {
      expect(await read(await req(app, `/job/logs?${query}`))).toEqual({
        status,
        body: `{"error":"${message}"}\n`,
      })
    }
  })

  test('returns "" for both keys when the log files do not exist', async () => {
    const { app } = withJob()
    expect(await read(await req(app, `/job/logs?id=${ID}&task=build`))).toEqual({
      status: 200,
      body: '{"stdout":"","stderr":""}\n',
    })
  })

  test('returns both files as JSON strings with <, > and & kept literal', async () => {
    const stdout = join(dir, 'plain.stdout.log')
    const stderr = join(dir, 'plain.stderr.log')
    await writeFile(stdout, 'line 1\n<b>&"quoted"\\ \t\u0001 ünïcödé 😀\n')
    await writeFile(stderr, '')
    const { app } = withLogs(stdout, stderr)
    const response = await req(app, `/job/logs?id=${ID}&task=build`)
    expect(response.headers.get('content-type')).toStartWith('application/json')
    const text = await response.text()
    expect(text).toBe(
      '{"stdout":"line 1\\n<b>&\\"quoted\\"\\\\ \\t\\u0001 ünïcödé 😀\\n","stderr":""}\n',
    )
  })

  test('replaces each maximal invalid UTF-8 subpart with U+FFFD', async () => {
    const stdout = join(dir, 'invalid.stdout.log')
    const bytes = [
      0x61, 0xf0, 0x80, 0x80, 0x62, 0xe2, 0x82, 0x63, 0xed, 0xa0, 0x80, 0xff, 0xe2, 0x82,
    ]
    await writeFile(stdout, new Uint8Array(bytes))
    const { app } = withLogs(stdout, join(dir, 'missing.log'))
    const body = JSON.parse(await (await req(app, `/job/logs?id=${ID}&task=build`)).text())
    expect(body).toEqual({
      stdout: 'a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD',
      stderr: '',
    })
  })

  test('streams a large file intact across chunk boundaries, multi-byte characters included', async () => {
    const path = join(dir, 'large.stdout.log')
    // 3-byte and 4-byte characters never align with 64 KiB chunks.
    const unit = 'ab€😀\n"'
    const content = unit.repeat(Math.ceil((3 * 1024 * 1024) / Buffer.byteLength(unit)))
    await writeFile(path, content)
    const { app } = withLogs(path, path)
    const response = await req(app, `/job/logs?id=${ID}&task=build`)
    const body = JSON.parse(await response.text())
    expect(body.stdout.length).toBe(content.length)
    expect(body.stdout === content).toBe(true)
    expect(body.stderr === content).toBe(true)
  })

  test('reads a file only up to its size when the request arrived', async () => {
    const path = join(dir, 'growing.stdout.log')
    await writeFile(path, 'before\n')
    const { app } = withLogs(path, join(dir, 'missing.log'))
    const response = await req(app, `/job/logs?id=${ID}&task=build`)
    await writeFile(path, 'before\nafter\n')
    expect(JSON.parse(await response.text()).stdout).toBe('before\n')
  })

  test('keeps serving after a client abandons a streamed body', async () => {
    const path = join(dir, 'abandoned.stdout.log')
    await writeFile(path, 'x'.repeat(1024 * 1024))
    const { app, records } = withLogs(path, path)
    const response = await req(app, `/job/logs?id=${ID}&task=build`)
    const reader = response.body?.getReader()
    await reader?.read()
    await reader?.cancel()
    const logged = records.filter((record) => record.msg === 'http request')
    expect(logged).toHaveLength(1)
    expect(logged[0]?.fields.status).toBe(200)
    expect((await req(app, `/job/logs?id=${ID}&task=build`)).status).toBe(200)
  })
})
