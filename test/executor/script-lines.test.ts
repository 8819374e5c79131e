import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { realpathSync } from 'node:fs'
import { SHELLS, TaskSandbox } from './support.ts'

let sandbox: TaskSandbox

beforeEach(() => {
  sandbox = new TaskSandbox()
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe.each(SHELLS)('script lines under %s', (shell) => {
  test('runs every line in order and ends done with exit code 0', async () => {
    const outcome = await sandbox.run(['echo one', 'echo two', 'echo three >&2'], { shell })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe('one\ntwo\n')
    expect(sandbox.stderr()).toBe('three\n')
  })

  test('stops at the first failing line and reports its status', async () => {
    const outcome = await sandbox.run(['echo before', '(exit 7)', 'echo after'], { shell })

    expect(outcome).toEqual({ status: 'error', exitCode: 7, error: 'exit status 7' })
    expect(sandbox.stdout()).toBe('before\n')
  })

  test('with allow_failure runs every line and keeps the last failing status', async () => {
    const lines = ['(exit 3)', 'echo middle', '(exit 5)', 'echo last']
    const outcome = await sandbox.run(lines, { shell, allowFailure: true })

    expect(outcome).toEqual({ status: 'done', exitCode: 5 })
    expect(sandbox.stdout()).toBe('middle\nlast\n')
  })

  test('exit N ends the shell even with allow_failure and counts as a failing line', async () => {
    const outcome = await sandbox.run(['exit 4', 'echo never'], { shell, allowFailure: true })

    expect(outcome).toEqual({ status: 'done', exitCode: 4 })
    expect(sandbox.stdout()).toBe('')
  })

  test('exit 0 after a failing line keeps that status with allow_failure', async () => {
    const outcome = await sandbox.run(['(exit 6)', 'exit 0', 'echo never'], {
      shell,
      allowFailure: true,
    })

    expect(outcome).toEqual({ status: 'done', exitCode: 6 })
    expect(sandbox.stdout()).toBe('')
  })

  test('exit 0 ends the task done without running further lines', async () => {
    const outcome = await sandbox.run(['exit 0', 'echo never'], { shell })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe('')
  })

  test('statuses wrap to the 0-255 range of the shell', async () => {
    const outcome = await sandbox.run(['exit 300'], { shell })

    expect(outcome).toEqual({ status: 'error', exitCode: 44, error: 'exit status 44' })
  })

  test('resets the working directory before every line', async () => {
    const outcome = await sandbox.run(['cd / && pwd', 'pwd'], { shell })

    expect(outcome.status).toBe('done')
    expect(sandbox.stdout()).toBe(`/\n${realpathSync(sandbox.dir)}\n`)
  })

  test('variables, functions and shell options carry over to later lines', async () => {
    const lines = ['greeting=hello', 'say() { echo "$greeting $1"; }', 'say world', 'set -e']
    const outcome = await sandbox.run([...lines, 'false; echo not reached'], { shell })

    expect(outcome).toEqual({ status: 'error', exitCode: 1, error: 'exit status 1' })
    expect(sandbox.stdout()).toBe('hello world\n')
  })

  test('a multi-line entry goes on after a failing command and takes the last status', async () => {
    const outcome = await sandbox.run(['false\necho still here'], { shell })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe('still here\n')
  })

  test('an empty line succeeds', async () => {
    const outcome = await sandbox.run(['', 'echo after empty'], { shell })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe('after empty\n')
  })

  test('a syntax error fails its line with the shell status 2', async () => {
    const outcome = await sandbox.run(['if then', 'echo never'], { shell })

    expect(outcome).toEqual({ status: 'error', exitCode: 2, error: 'exit status 2' })
    expect(sandbox.stdout()).toBe('')
  })

  test('quotes, dollars, backslashes and newlines reach the shell unchanged', async () => {
    const text = `it's "double" \\back $HOME \`tick\``
    const outcome = await sandbox.run([`cat <<'END'\n${text}\nEND`, "printf '%s|' 'a'\\''b'"], {
      shell,
    })

    expect(outcome.status).toBe('done')
    expect(sandbox.stdout()).toBe(`${text}\na'b|`)
  })

  test('the task sees the environment it was given and nothing else', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY_THIS: 'value' }
    const outcome = await sandbox.run(['echo "$ONLY_THIS,$HOME"'], { shell, env })

    expect(outcome.status).toBe('done')
    expect(sandbox.stdout()).toBe('value,\n')
  })

  test('standard input is empty', async () => {
    const outcome = await sandbox.run(['wc -c | tr -d " "'], { shell })

    expect(outcome.status).toBe('done')
    expect(sandbox.stdout()).toBe('0\n')
  })
})

describe('large scripts', () => {
  test('a script too large for one argument still runs every line', async () => {
    const padding = 'x'.repeat(200)
    const lines = Array.from({ length: 1000 }, (_, index) => `n=${index} # ${padding}`)
    const outcome = await sandbox.run([...lines, 'echo "$n"'])

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe('999\n')
  })
})

describe('logging', () => {
  test('logs task started with the pid and task finished with the result', async () => {
    const task = sandbox.start({ lines: ['exit 3'], logger: sandbox.capturingLogger() })
    await task.done

    const started = sandbox.records.find((record) => record.msg === 'task started')
    const finished = sandbox.records.find((record) => record.msg === 'task finished')
    expect(started?.level).toBe('debug')
    expect(started?.fields.pid).toBe(task.pid)
    expect(finished?.fields).toMatchObject({ status: 'error', exitCode: 3 })
    expect(typeof finished?.fields.durationMs).toBe('number')
  })
})
