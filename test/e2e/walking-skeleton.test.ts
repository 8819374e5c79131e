import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { signToken } from '../helpers/jwt.ts'
import {
  cleanupPrunners,
  type PrunnerProcess,
  startPrunner,
  TEST_SECRET,
} from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

const PIPELINES = `
pipelines:
  build:
    env:
      MY_VAR: from pipeline
      OTHER_VAR: from pipeline
    tasks:
      a:
        script:
          - echo "a for {{ .name }}"
      b:
        depends_on: [a]
        env:
          MY_VAR: from task
        script:
          - echo -n "$MY_VAR,$OTHER_VAR,$GLOBAL_VAR,$TASK_NAME,\${PRUNNER_JWT_SECRET:-unset}"
      c:
        depends_on: [a]
        script:
          - echo to stderr >&2
          - printf 'no newline'
  failing:
    tasks:
      first:
        script:
          - echo stdoutContent
          - echo This message goes to stderr >&2
          - exit 42
      second:
        depends_on: [first]
        script: ["echo never"]
    on_error:
      script:
        - 'echo "Failed Task Name: {{ .failedTaskName }}"'
        - 'echo "Failed Task Exit Code: {{ .failedTaskExitCode }}"'
  single:
    tasks:
      wait:
        script:
          - while [ ! -f release-{{ .n }} ]; do sleep 0.05; done
`

interface JobJson {
  id: string
  pipeline: string
  completed: boolean
  canceled: boolean
  errored: boolean
  start: string | null
  end: string | null
  lastError?: string
  user: string
  variables?: Record<string, unknown>
  tasks: {
    name: string
    status: string
    exitCode: number
    errored: boolean
    error?: string
    start: string | null
    end: string | null
    dependsOn?: string[]
  }[]
}

let prunner: PrunnerProcess

async function waitForCompletion(p: PrunnerProcess, id: string): Promise<JobJson> {
  return await waitFor(
    async () => {
      const { body } = await p.json<JobJson>('GET', `/job/detail?id=${id}`)
      return body.completed ? body : undefined
    },
    { what: `job ${id} to complete` },
  )
}

afterAll(async () => {
  await cleanupPrunners()
})

describe('the prunner server started from the CLI', () => {
  test('starts and lists the defined pipelines', async () => {
    prunner = await startPrunner({
      files: { 'pipelines.yml': PIPELINES },
      env: { GLOBAL_VAR: 'from process' },
    })
    const { status, body } = await prunner.json('GET', '/pipelines')
    expect(status).toBe(200)
    expect(body).toEqual({
      pipelines: [
        { pipeline: 'build', schedulable: true, running: false },
        { pipeline: 'failing', schedulable: true, running: false },
        { pipeline: 'single', schedulable: true, running: false },
      ],
    })
  })

  test('runs a scheduled job to completion with tasks in dependency order', async () => {
    const response = await prunner.request('POST', '/pipelines/schedule', {
      body: JSON.stringify({ pipeline: 'build', variables: { name: 'world' } }),
    })
    expect(response.status).toBe(202)
    const { jobId } = (await response.json()) as { jobId: string }
    expect(jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

    const job = await waitForCompletion(prunner, jobId)
    expect(job.canceled).toBe(false)
    expect(job.errored).toBe(false)
    expect(job.user).toBe('tester')
    expect(job.variables).toEqual({ name: 'world' })
    expect(job.lastError).toBeUndefined()
    expect(job.tasks.map((t) => [t.name, t.status, t.exitCode])).toEqual([
      ['a', 'done', 0],
      ['b', 'done', 0],
      ['c', 'done', 0],
    ])
    expect(job.tasks[1]?.dependsOn).toEqual(['a'])
    expect(job.tasks[0]?.dependsOn).toBeUndefined()
    for (const task of job.tasks) {
      expect(task.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(task.end).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    }
  })

  test('serves task output with env precedence and without the secret', async () => {
    const { body: list } = await prunner.json<{ jobs: JobJson[] }>('GET', '/pipelines/jobs')
    const id = list.jobs[0]?.id
    const a = await prunner.json('GET', `/job/logs?id=${id}&task=a`)
    expect(a).toEqual({ status: 200, body: { stdout: 'a for world\n', stderr: '' } })
    const b = await prunner.json('GET', `/job/logs?id=${id}&task=b`)
    expect(b.body).toEqual({ stdout: 'from task,from pipeline,from process,b,unset', stderr: '' })
    const c = await prunner.json('GET', `/job/logs?id=${id}&task=c`)
    expect(c.body).toEqual({ stdout: 'no newline', stderr: 'to stderr\n' })
    expect(existsSync(join(prunner.dataDir, 'logs', String(id), 'c-stdout.log'))).toBe(true)
  })

  test('fails fast, skips dependents and runs on_error with the failed task', async () => {
    const { body } = await prunner.json<{ jobId: string }>('POST', '/pipelines/schedule', {
      pipeline: 'failing',
    })
    const job = await waitForCompletion(prunner, body.jobId)
    expect(job.canceled).toBe(false)
    expect(job.errored).toBe(true)
    expect(job.lastError).toBe('exit status 42')
    expect(job.tasks.map((t) => [t.name, t.status, t.exitCode, t.error])).toEqual([
      ['first', 'error', 42, 'exit status 42'],
      ['second', 'skipped', 0, undefined],
      ['on_error', 'done', 0, undefined],
    ])
    const logs = await prunner.json('GET', `/job/logs?id=${body.jobId}&task=on_error`)
    expect(logs.body).toEqual({
      stdout: 'Failed Task Name: first\nFailed Task Exit Code: 42\n',
      stderr: '',
    })
  })

  test('keeps a second job of a concurrency-1 pipeline waiting until the first is done', async () => {
    const first = await prunner.json<{ jobId: string }>('POST', '/pipelines/schedule', {
      pipeline: 'single',
      variables: { n: 1 },
    })
    const second = await prunner.json<{ jobId: string }>('POST', '/pipelines/schedule', {
      pipeline: 'single',
      variables: { n: 2 },
    })
    expect(second.status).toBe(202)
    await waitFor(
      async () =>
        (await prunner.json<JobJson>('GET', `/job/detail?id=${first.body.jobId}`)).body.start !==
        null,
    )
    const queued = await prunner.json<JobJson>('GET', `/job/detail?id=${second.body.jobId}`)
    expect(queued.body.start).toBeNull()
    expect(queued.body.tasks[0]?.status).toBe('waiting')
    const pipelines = await prunner.json<{ pipelines: { pipeline: string; running: boolean }[] }>(
      'GET',
      '/pipelines',
    )
    expect(pipelines.body.pipelines.find((p) => p.pipeline === 'single')?.running).toBe(true)

    await Bun.write(join(prunner.dir, 'release-1'), '')
    await Bun.write(join(prunner.dir, 'release-2'), '')
    await waitForCompletion(prunner, first.body.jobId)
    const done = await waitForCompletion(prunner, second.body.jobId)
    expect(done.tasks[0]?.status).toBe('done')
  })

  test('rejects requests without a valid HS256 token', async () => {
    const now = Math.floor(Date.now() / 1000)
    const cases: [string | null, string][] = [
      [null, 'no token found\n'],
      [signToken('another-secret-0123456789', { sub: 'x' }), 'token is unauthorized\n'],
      [signToken(TEST_SECRET, { sub: 'x' }, { alg: 'HS512' }), 'token is unauthorized\n'],
      [signToken(TEST_SECRET, { sub: 'x' }, { alg: 'none' }), 'token is unauthorized\n'],
      [signToken(TEST_SECRET, { sub: 'x', exp: now - 60 }), 'token is expired\n'],
    ]
    for (const [token, body] of cases) {
      const response = await prunner.request('GET', '/pipelines/jobs', { token })
      expect(response.status).toBe(401)
      expect(await response.text()).toBe(body)
    }
    const iatOnly = await prunner.request('GET', '/pipelines', {
      token: signToken(TEST_SECRET, { iat: now }),
    })
    expect(iatOnly.status).toBe(200)
  })

  test('answers bad requests with the documented texts', async () => {
    expect(await prunner.json('POST', '/pipelines/schedule', { pipeline: 'nope' })).toEqual({
      status: 400,
      body: { error: 'Error scheduling pipeline: pipeline "nope" is not defined' },
    })
    expect(await prunner.json('GET', '/job/detail?id=not-a-uuid')).toEqual({
      status: 400,
      body: { error: 'Invalid job id' },
    })
    expect(
      await prunner.json('GET', '/job/detail?id=0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11'),
    ).toEqual({
      status: 404,
      body: { error: 'Job not found' },
    })
    const empty = await prunner.request('POST', '/pipelines/schedule', { body: '' })
    expect(empty.status).toBe(400)
    expect(await empty.json()).toEqual({ error: 'Error decoding JSON: EOF' })
    const unknown = await prunner.request('GET', '/nothing-here', { token: null })
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toBe('404 page not found\n')
  })

  test('still serves finished jobs and their logs after a restart', async () => {
    const before = await prunner.json<{ jobs: JobJson[] }>('GET', '/pipelines/jobs')
    expect(await prunner.stop('SIGINT')).toBe(0)

    prunner = await startPrunner({ dir: prunner.dir, env: { GLOBAL_VAR: 'from process' } })
    const after = await prunner.json<{ jobs: JobJson[] }>('GET', '/pipelines/jobs')
    expect(after.body.jobs).toEqual(before.body.jobs)
    const build = after.body.jobs.find((job) => job.pipeline === 'build')
    const logs = await prunner.json('GET', `/job/logs?id=${build?.id}&task=a`)
    expect(logs.body).toEqual({ stdout: 'a for world\n', stderr: '' })
    expect(
      readFileSync(join(prunner.dataDir, 'logs', String(build?.id), 'a-stdout.log'), 'utf8'),
    ).toBe('a for world\n')
  })
})
