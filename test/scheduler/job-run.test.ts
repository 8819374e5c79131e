import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isGroupAlive } from '../../src/executor/process-group.ts'
import type { TaskState } from '../../src/scheduler/index.ts'
import { LOG_TAIL_BYTES, readLogTail } from '../../src/scheduler/log-tail.ts'
import { PrunnerError } from '../../src/shared/errors.ts'
import { type HarnessOptions, SchedulerHarness, waitLine } from './job-run-harness.ts'

const harnesses: SchedulerHarness[] = []

function harness(yaml: string, options?: HarnessOptions): SchedulerHarness {
  const created = new SchedulerHarness(yaml, options)
  harnesses.push(created)
  return created
}

afterEach(async () => {
  for (const created of harnesses.splice(0)) {
    await created.cleanup()
  }
})

/** The columns of the SPEC §7.1 table that a test can state exactly. */
function row(task: TaskState) {
  return {
    status: task.status,
    errored: task.errored,
    exitCode: task.exitCode,
    error: task.error,
    hasStart: task.start !== null,
    hasEnd: task.end !== null,
  }
}

const finished = { errored: false, error: undefined, hasStart: true, hasEnd: true }
const neverStarted = { errored: false, error: undefined, hasStart: false, hasEnd: false }

describe('a job whose tasks succeed (SPEC §7)', () => {
  test('ends every task done with exitCode 0 and both times set, empty scripts included', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      a:
        script: [echo a]
      b:
        depends_on: [a]
        script: [echo b]
      empty: ~
      blank:
        script: [""]
`)
    const id = await h.schedule()
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: false })
    expect(job.lastError).toBeUndefined()
    expect(job.start).not.toBeNull()
    expect(job.end).not.toBeNull()
    expect(job.tasks.map((task) => task.name)).toEqual(['a', 'b', 'blank', 'empty'])
    for (const task of job.tasks) {
      expect(row(task)).toEqual({ status: 'done', exitCode: 0, ...finished })
      expect(task.end).toBeGreaterThanOrEqual(task.start as number)
    }
    expect(h.log(id, 'b')).toBe('b\n')
    expect(h.log(id, 'empty')).toBe('')
    expect(h.pids.has(`${id}/empty`)).toBe(false)
  })

  test('starts a task as soon as its last dependency is done', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      slow:
        script: ['${waitLine()}']
      fast:
        script: [echo fast]
      after_fast:
        depends_on: [fast]
        script: ['touch after_fast_ran']
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'after_fast', 'done')

    expect(h.task(id, 'slow').status).toBe('running')
    expect(h.hasFile('after_fast_ran')).toBe(true)
    h.release()
    await h.waitForCompletion(id)
  })
})

describe('fail-fast (SPEC §5.8)', () => {
  test('kills running tasks, skips dependents in task order and cancels the rest', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      fail:
        script: ['${waitLine()}', 'exit 3', 'echo never']
      slow:
        script: ['sleep 30 & wait']
      dependent:
        depends_on: [fail]
        script: [touch dependent_ran]
      behind:
        depends_on: [dependent]
        script: [touch behind_ran]
      waiter:
        depends_on: [slow]
        script: [touch waiter_ran]
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'slow', 'running')
    await h.waitForStatus(id, 'fail', 'running')
    h.release()
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: false, lastError: 'exit status 3' })
    expect(row(h.task(id, 'fail'))).toEqual({
      ...finished,
      status: 'error',
      errored: true,
      exitCode: 3,
      error: 'exit status 3',
    })
    expect(row(h.task(id, 'slow'))).toEqual({ status: 'canceled', exitCode: -1, ...finished })
    expect(row(h.task(id, 'dependent'))).toEqual({
      status: 'skipped',
      exitCode: 0,
      ...neverStarted,
    })
    expect(row(h.task(id, 'behind'))).toEqual({ status: 'skipped', exitCode: 0, ...neverStarted })
    expect(row(h.task(id, 'waiter'))).toEqual({ status: 'canceled', exitCode: 0, ...neverStarted })
    expect(h.log(id, 'fail')).toBe('')
    expect(isGroupAlive(h.pids.get(`${id}/slow`) as number)).toBe(false)
    for (const file of ['dependent_ran', 'behind_ran', 'waiter_ran']) {
      expect(h.hasFile(file)).toBe(false)
    }
  })

  test('a template error fails the task before any process, with the message as error', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      render:
        script: ['touch first_line_ran', 'echo {{ .does_not_exist_and_error }}']
      next:
        depends_on: [render]
        script: [echo next]
`)
    const id = await h.schedule()
    const job = await h.waitForCompletion(id)
    const message =
      'template: interpolate:1:8: executing "interpolate" at <.does_not_exist_and_error>: ' +
      'map has no entry for key "does_not_exist_and_error"'

    expect(job.lastError).toBe(message)
    expect(row(h.task(id, 'render'))).toEqual({
      ...finished,
      status: 'error',
      errored: true,
      exitCode: -1,
      error: message,
    })
    expect(h.task(id, 'next').status).toBe('skipped')
    expect(h.hasFile('first_line_ran')).toBe(false)
    expect(h.pids.has(`${id}/render`)).toBe(false)
    expect(h.log(id, 'render', 'stderr')).toBe(`${message}\n`)
  })
})

describe('continue_running_tasks_after_failure (SPEC §5.8)', () => {
  test('keeps independent tasks starting, skips dependents and reports the first failure', async () => {
    const h = harness(`
pipelines:
  p:
    continue_running_tasks_after_failure: true
    tasks:
      fail:
        script: [exit 4]
      later_fail:
        depends_on: [other]
        script: [exit 5]
      other:
        script: ['${waitLine()}', echo other]
      dependent:
        depends_on: [fail]
        script: [touch dependent_ran]
    on_error:
      script: ['echo "{{ .failedTaskName }}"']
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'fail', 'error')

    expect(h.task(id, 'dependent').status).toBe('skipped')
    expect(h.task(id, 'other').status).toBe('running')
    expect(h.job(id).completed).toBe(false)
    expect(h.taskNames(id)).not.toContain('on_error')
    h.release()
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: false, lastError: 'exit status 4' })
    expect(h.task(id, 'other').status).toBe('done')
    expect(h.task(id, 'later_fail')).toMatchObject({ status: 'error', exitCode: 5 })
    expect(h.taskNames(id).at(-1)).toBe('on_error')
    expect(h.log(id, 'on_error')).toBe('fail\n')
    const handler = h.task(id, 'on_error')
    expect(handler.start).toBeGreaterThanOrEqual(h.task(id, 'later_fail').end as number)
  })
})

describe('allow_failure (SPEC §5.8, §6.2)', () => {
  test('failing lines end done with the last failing status and the job stays clean', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      lenient:
        allow_failure: true
        script: ['(exit 5)', '(exit 6)', 'true', 'touch lenient_went_on']
      after:
        depends_on: [lenient]
        script: [echo after]
    on_error:
      script: [touch handler_ran]
`)
    const id = await h.schedule()
    const job = await h.waitForCompletion(id)

    expect(job.lastError).toBeUndefined()
    expect(row(h.task(id, 'lenient'))).toEqual({ status: 'done', exitCode: 6, ...finished })
    expect(h.hasFile('lenient_went_on')).toBe(true)
    expect(h.task(id, 'after').status).toBe('done')
    expect(h.taskNames(id)).not.toContain('on_error')
  })

  test('a non-exit failure ends error but neither fails the job nor blocks dependents', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      broken:
        allow_failure: true
        script: ['echo {{ .missing }}']
      slow:
        script: ['${waitLine()}']
      after:
        depends_on: [broken]
        script: [echo after]
    on_error:
      script: [touch handler_ran]
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'after', 'done')

    expect(h.task(id, 'slow').status).toBe('running')
    h.release()
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: false })
    expect(job.lastError).toBeUndefined()
    expect(row(h.task(id, 'broken'))).toMatchObject({
      status: 'error',
      errored: true,
      exitCode: -1,
    })
    expect(h.task(id, 'broken').error).toContain('map has no entry for key "missing"')
    expect(h.task(id, 'slow').status).toBe('done')
    expect(h.taskNames(id)).not.toContain('on_error')
    expect(h.hasFile('handler_ran')).toBe(false)
  })
})

describe('on_error (SPEC §5.9)', () => {
  test('prints the failed task variables exactly as the specification example', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      a:
        script: [echo a]
      b:
        depends_on: [a]
        script:
          - echo stdoutContent
          - echo This message goes to stderr >&2
          - exit 42
    on_error:
      script:
        - echo ON_ERROR
        - 'echo "Failed Task Name: {{ .failedTaskName }}"'
        - 'echo "Failed Task Exit Code: {{ .failedTaskExitCode }}"'
        - 'echo "Failed Task Error: {{ .failedTaskError }}"'
        - 'echo "Failed Task Stdout: {{ .failedTaskStdout }}"'
        - 'echo "Failed Task Stderr: {{ .failedTaskStderr }}"'
`)
    const id = await h.schedule('p', { failedTaskName: 'from the request' })
    const job = await h.waitForCompletion(id)

    expect(h.log(id, 'on_error')).toBe(
      'ON_ERROR\nFailed Task Name: b\nFailed Task Exit Code: 42\nFailed Task Error: exit status 42\n' +
        'Failed Task Stdout: stdoutContent\n\nFailed Task Stderr: This message goes to stderr\n\n',
    )
    expect(job.lastError).toBe('exit status 42')
    expect(h.taskNames(id)).toEqual(['a', 'b', 'on_error'])
    expect(row(h.task(id, 'on_error'))).toEqual({ status: 'done', exitCode: 0, ...finished })
  })

  test('runs while the job is still running, with the pipeline env and its own env and shell', async () => {
    const h = harness(
      `
pipelines:
  p:
    env:
      FROM_PIPELINE: pipeline
      OVERRIDDEN: pipeline
    shell: pipeline-shell
    tasks:
      fail:
        script: [exit 1]
    on_error:
      shell: handler-shell
      env:
        OVERRIDDEN: handler
      script:
        - echo "$TASK_NAME $FROM_PIPELINE $OVERRIDDEN $SHELL_USED"
        - '${waitLine()}'
`,
    )
    h.addShell('pipeline-shell')
    h.addShell('handler-shell')
    const id = await h.schedule()
    await h.waitForStatus(id, 'on_error', 'running')

    expect(h.job(id)).toMatchObject({ completed: false, canceled: false, end: null })
    expect(h.committed.get(id)?.tasks.at(-1)?.status).toBe('running')
    h.release()
    await h.waitForCompletion(id)

    expect(h.log(id, 'on_error')).toBe('on_error pipeline handler handler-shell\n')
  })

  test('sees only the last 64 KiB of the failed task output', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      loud:
        script: ["head -c 100000 /dev/zero | tr '\\\\0' x; echo END", exit 1]
    on_error:
      script:
        - printf %s {{ .failedTaskStdout | shellquote }} | wc -c
        - printf %s {{ .failedTaskStdout | shellquote }} | tail -c 4
`)
    const id = await h.schedule()
    await h.waitForCompletion(id)

    const [count, tail] = h.log(id, 'on_error').split('\n')
    expect(Number(count?.trim())).toBe(64 * 1024)
    expect(tail).toBe('END')
  })

  test('a failing handler ends error without changing the job result', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      fail:
        script: [exit 2]
    on_error:
      script: [exit 7]
`)
    const id = await h.schedule()
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: false, lastError: 'exit status 2' })
    expect(row(h.task(id, 'on_error'))).toEqual({
      ...finished,
      status: 'error',
      errored: true,
      exitCode: 7,
      error: 'exit status 7',
    })
    expect(h.messages('warn')).toContain('on_error handler failed')
  })

  test('does not exist for a job without a failure', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      ok:
        script: [true]
    on_error:
      script: [touch handler_ran]
`)
    const id = await h.schedule()
    await h.waitForCompletion(id)

    expect(h.taskNames(id)).toEqual(['ok'])
    expect(h.hasFile('handler_ran')).toBe(false)
  })
})

describe('template data (SPEC §6.3)', () => {
  test('holds the request variables and the job id, and __jobID cannot be sent', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      show:
        script:
          - echo "{{ .__jobID }} {{ if .flag }}on{{ else }}off{{ end }} {{ .n }} {{ .text }}"
`)
    const id = await h.schedule('p', { flag: true, n: 1000000, text: '{{ .__jobID }}' })
    await h.waitForCompletion(id)

    expect(h.log(id, 'show')).toBe(`${id} on 1000000 {{ .__jobID }}\n`)
    const rejected = h.schedule('p', { __jobID: 'mine' })
    await expect(rejected).rejects.toThrow(PrunnerError)
    await expect(rejected).rejects.toMatchObject({
      code: 'SCHEDULE_REJECTED',
      message: 'variable name __jobID is reserved for internal use',
    })
  })
})

describe('shell choice and environment (SPEC §6.1, §6.4)', () => {
  test('the task shell wins over the pipeline shell, which wins over the default', async () => {
    const h = harness(
      `
pipelines:
  p:
    shell: pipeline-shell
    tasks:
      own:
        shell: task-shell
        script: [echo $SHELL_USED]
      inherited:
        script: [echo $SHELL_USED]
  plain:
    tasks:
      default:
        script: [echo $SHELL_USED]
`,
    )
    h.addShell('pipeline-shell')
    h.addShell('task-shell')
    const defaultShell = h.addShell('default-shell')
    // The harness's scheduler was built with /bin/sh; a second one uses the wrapper as default.
    const withDefault = harness(
      'pipelines:\n  plain:\n    tasks:\n      default:\n        script: [echo $SHELL_USED]\n',
      { defaultShell },
    )
    const id = await h.schedule()
    const plainId = await withDefault.schedule('plain')
    await h.waitForCompletion(id)
    await withDefault.waitForCompletion(plainId)

    expect(h.log(id, 'own')).toBe('task-shell\n')
    expect(h.log(id, 'inherited')).toBe('pipeline-shell\n')
    expect(withDefault.log(plainId, 'default')).toBe('default-shell\n')
  })

  test('builds the environment from process, pipeline env, TASK_NAME and task env', async () => {
    const h = harness(
      `
pipelines:
  p:
    env:
      MY_VAR: from pipeline
      OTHER_VAR: from pipeline
      PRUNNER_JWT_SECRET: explicit
    tasks:
      t:
        env:
          MY_VAR: from task
        script:
          - echo -n "$MY_VAR,$OTHER_VAR,$GLOBAL_VAR,$TASK_NAME,$PRUNNER_JWT_SECRET"
      named:
        env:
          TASK_NAME: renamed
          VALUE: '{{ .x }}'
        script: ['echo -n "$TASK_NAME $VALUE"']
`,
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GLOBAL_VAR: 'from process' } },
    )
    const id = await h.schedule('p', { x: 'rendered' })
    await h.waitForCompletion(id)

    expect(h.log(id, 't')).toBe('from task,from pipeline,from process,t,explicit')
    expect(h.log(id, 'named')).toBe('renamed {{ .x }}')
  })
})

describe('readLogTail (SPEC §5.9)', () => {
  test('returns the last 64 KiB, decoding a cut UTF-8 sequence with a replacement character', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prunner-log-tail-'))
    try {
      const path = join(dir, 'out.log')
      // 'é' is two bytes; with the odd byte at the end the tail starts on the second byte of one.
      writeFileSync(path, `start${'é'.repeat(40_000)}x`)
      const tail = readLogTail(path)

      expect(LOG_TAIL_BYTES).toBe(65_536)
      expect(tail.startsWith('\uFFFD')).toBe(true)
      expect(tail.slice(1)).toBe(`${'é'.repeat(32_767)}x`)
      expect(readLogTail(join(dir, 'missing.log'))).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
