// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell and dotenv text, where ${VAR} is expansion syntax.

import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { chmodSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { logRecords, makeTempDir, removeTempDirs, runCli } from '../cli/run-cli.ts'
import {
  cleanupPrunners,
  type PrunnerProcess,
  startPrunner,
  TEST_SECRET,
} from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

interface TaskJson {
  name: string
  status: string
  exitCode: number
  errored: boolean
  error?: string
}

interface JobJson {
  id: string
  completed: boolean
  canceled: boolean
  lastError?: string
  tasks: TaskJson[]
}

const tempDirs: string[] = []

afterEach(async () => {
  await cleanupPrunners()
  removeTempDirs(tempDirs)
})

afterAll(async () => {
  await cleanupPrunners()
})

async function runJob(
  prunner: PrunnerProcess,
  pipeline: string,
  variables?: Record<string, unknown>,
): Promise<JobJson> {
  const scheduled = await prunner.json<{ jobId: string }>('POST', '/pipelines/schedule', {
    pipeline,
    variables,
  })
  expect(scheduled.status).toBe(202)
  const id = scheduled.body.jobId
  return await waitFor(
    async () => {
      const { body } = await prunner.json<JobJson>('GET', `/job/detail?id=${id}`)
      return body.completed ? body : undefined
    },
    { what: `job ${id} to complete` },
  )
}

async function stdoutOf(prunner: PrunnerProcess, job: JobJson, task: string): Promise<string> {
  const { body } = await prunner.json<{ stdout: string }>(
    'GET',
    `/job/logs?id=${job.id}&task=${task}`,
  )
  return body.stdout
}

// Written with CRLF line breaks, as files edited on Windows are.
const REAL_WORLD = `
x-defaults: &defaults
  concurrency: 2
  env:
    STAGE: base
    SHARED: base
x-step: &step
  script:
    - echo "step of {{ .__jobID }}"

pipelines:
  merged:
    <<: *defaults
    env:
      STAGE: merged
    tasks:
      blank:
        script: [""]
      step: *step
      flags:
        <<: *step
        allow_failure: yes
        script:
          - '{{ if .deploy }}echo deploying{{ else }}echo dry run{{ end }}'
          - exit 3
      show:
        depends_on: [blank, step, flags]
        script:
          - echo "$STAGE $SHARED $TASK_NAME"
          - X=kept; cd /
          - echo "$X $(pwd)"
          - 'echo id={{ .__jobID }}'
`.replaceAll('\n', '\r\n')

describe('a pipeline file using anchors, merge keys, empty scripts and templates', () => {
  test('runs end to end from the CLI', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': REAL_WORLD } })
    const job = await runJob(prunner, 'merged', { deploy: false })
    const cwd = realpathSync(prunner.dir)

    expect(job).toMatchObject({ completed: true, canceled: false })
    expect(job.lastError).toBeUndefined()
    expect(job.tasks.map((t) => [t.name, t.status, t.exitCode])).toEqual([
      ['blank', 'done', 0],
      ['flags', 'done', 3],
      ['step', 'done', 0],
      ['show', 'done', 0],
    ])
    expect(await stdoutOf(prunner, job, 'blank')).toBe('')
    expect(await stdoutOf(prunner, job, 'step')).toBe(`step of ${job.id}\n`)
    expect(await stdoutOf(prunner, job, 'flags')).toBe('dry run\n')
    expect(await stdoutOf(prunner, job, 'show')).toBe(
      `merged base show\nkept ${cwd}\nid=${job.id}\n`,
    )

    const deploy = await runJob(prunner, 'merged', { deploy: true })
    expect(await stdoutOf(prunner, deploy, 'flags')).toBe('deploying\n')
  })

  test('rejects __jobID as a request variable with 400', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': REAL_WORLD } })
    const response = await prunner.json<{ error: string }>('POST', '/pipelines/schedule', {
      pipeline: 'merged',
      variables: { __jobID: 'mine' },
    })

    expect(response.status).toBe(400)
    expect(response.body.error).toContain('__jobID')
  })
})

const ENV_PIPELINE = `
pipelines:
  env:
    env:
      PIPELINE_VAR: pipeline
      OVERRIDE_IN_PIPELINE: pipeline
    tasks:
      show:
        script:
          - echo -n "$FROM_ENV|$OVERRIDE|$QUOTED|$HASH|$PROCESS_VAR|$OVERRIDE_IN_PIPELINE|\${PRUNNER_JWT_SECRET:-unset}"
`

const ENV_FILES = {
  'pipelines.yml': ENV_PIPELINE,
  '.env': [
    'FROM_ENV=env',
    'OVERRIDE=env',
    '# a comment',
    'export QUOTED="multi\\nline ${FROM_ENV}"',
    'HASH=val#x # comment',
    'OVERRIDE_IN_PIPELINE=env',
  ].join('\n'),
  '.env.local': 'OVERRIDE=local\nPROCESS_VAR=local\n',
  'custom.env': "FROM_ENV='custom $OVERRIDE'\n",
}

describe('env files and precedence (SPEC §2.6, §6.4)', () => {
  test('.env.local beats .env, which beats the process; pipeline env beats all of them', async () => {
    const prunner = await startPrunner({
      files: ENV_FILES,
      env: { PROCESS_VAR: 'process', OVERRIDE: 'process', FROM_ENV: 'process' },
    })
    const job = await runJob(prunner, 'env')

    expect(await stdoutOf(prunner, job, 'show')).toBe(
      'env|local|multi\nline env|val#x|local|pipeline|unset',
    )
  })

  test("--env-files '' reads no env file", async () => {
    const prunner = await startPrunner({
      files: ENV_FILES,
      args: ['--env-files', ''],
      env: { PROCESS_VAR: 'process' },
    })
    const job = await runJob(prunner, 'env')

    expect(await stdoutOf(prunner, job, 'show')).toBe('||||process|pipeline|unset')
  })

  test('PRUNNER_ENV_FILES names the files to read instead of the defaults', async () => {
    const prunner = await startPrunner({
      files: ENV_FILES,
      env: { PRUNNER_ENV_FILES: 'custom.env', OVERRIDE: 'process' },
    })
    const job = await runJob(prunner, 'env')

    expect(await stdoutOf(prunner, job, 'show')).toBe('custom $OVERRIDE|process||||pipeline|unset')
  })

  test('a syntax error in an env file stops startup with the file and line', async () => {
    const dir = makeTempDir(tempDirs)
    writeFileSync(join(dir, 'pipelines.yml'), ENV_PIPELINE)
    writeFileSync(join(dir, '.env'), 'GOOD=1\nBAD KEY=2\n')
    const result = await runCli(['--address', '127.0.0.1:0', '--data', '.prunner'], {
      cwd: dir,
      env: { PRUNNER_JWT_SECRET: TEST_SECRET },
    })

    expect(result.exitCode).toBe(1)
    expect(logRecords(result.stderr)).toContainEqual(
      expect.objectContaining({
        level: 'fatal',
        msg: 'startup failed',
        error: 'loading env file .env: line 2: unexpected character " " in variable name',
      }),
    )
  })
})

describe('shell choice from the command line (SPEC §2.4, §6.1)', () => {
  function shellDir(): string {
    const dir = makeTempDir(tempDirs)
    mkdirSync(join(dir, 'bin'))
    for (const name of ['flag-shell', 'key-shell']) {
      const path = join(dir, 'bin', name)
      writeFileSync(path, `#!/bin/sh\nSHELL_USED=${name}\nexport SHELL_USED\nexec /bin/sh "$@"\n`)
      chmodSync(path, 0o755)
    }
    return dir
  }

  const SHELL_PIPELINE = `
pipelines:
  shells:
    tasks:
      default:
        script: ['echo "$SHELL_USED"']
      keyed:
        shell: key-shell
        script: ['echo "$SHELL_USED"']
`

  test('--shell is found on PATH at startup and the shell key still wins', async () => {
    const dir = shellDir()
    const path = `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`
    const prunner = await startPrunner({
      files: { 'pipelines.yml': SHELL_PIPELINE },
      args: ['--shell', 'flag-shell'],
      env: { PATH: path },
    })
    const job = await runJob(prunner, 'shells')

    expect(await stdoutOf(prunner, job, 'default')).toBe('flag-shell\n')
    expect(await stdoutOf(prunner, job, 'keyed')).toBe('key-shell\n')
    expect(prunner.logLines.join('\n')).toContain(`shell=${join(dir, 'bin', 'flag-shell')}`)
  })

  test('a --shell that does not exist stops the server but is only a warning for validate', async () => {
    const dir = shellDir()
    writeFileSync(join(dir, 'pipelines.yml'), SHELL_PIPELINE)
    const env = { PRUNNER_JWT_SECRET: TEST_SECRET }
    const server = await runCli(['--shell', 'no-such-shell', '--address', '127.0.0.1:0'], {
      cwd: dir,
      env,
    })
    const validate = await runCli(['validate', '--shell', 'no-such-shell'], { cwd: dir, env })
    const strict = await runCli(['validate', '--strict', '--shell', 'no-such-shell'], {
      cwd: dir,
      env,
    })

    expect(server.exitCode).toBe(1)
    expect(logRecords(server.stderr)).toContainEqual(
      expect.objectContaining({ level: 'fatal', error: 'shell "no-such-shell" not found' }),
    )
    expect(validate.exitCode).toBe(0)
    expect(validate.stdout).toBe(
      '--shell:0:0: warning: shell "no-such-shell" not found on PATH\n' +
        'pipelines.yml:8:16: warning: shell "key-shell" not found on PATH\n' +
        '1 pipelines in 1 files: 0 errors, 2 warnings\n',
    )
    expect(strict.exitCode).toBe(1)
  })
})
