import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { TaskSandbox } from './support.ts'

let sandbox: TaskSandbox

beforeEach(() => {
  sandbox = new TaskSandbox()
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe('tasks that end before or without a shell', () => {
  test('a task without script lines starts no process and leaves empty log files', async () => {
    const task = sandbox.start({ lines: [] })
    const outcome = await task.done

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(task.pid).toBeUndefined()
    expect(sandbox.stdout()).toBe('')
    expect(sandbox.stderr()).toBe('')
  })

  test('a NUL byte in a line fails the task before a process starts', async () => {
    const task = sandbox.start({ lines: ['echo fine', 'echo a\0b'] })
    const outcome = await task.done

    const error = 'script line 2 contains a NUL byte'
    expect(outcome).toEqual({ status: 'error', exitCode: -1, error })
    expect(task.pid).toBeUndefined()
    expect(sandbox.stdout()).toBe('')
    expect(sandbox.stderr()).toBe(`${error}\n`)
  })

  test('a bare shell name missing from the task PATH fails with starting shell', async () => {
    const outcome = await sandbox.run(['echo hi'], {
      shell: 'no-such-shell-anywhere',
      env: { PATH: sandbox.dir },
    })

    expect(outcome.status).toBe('error')
    expect(outcome.exitCode).toBe(-1)
    expect(outcome.error).toStartWith('starting shell "no-such-shell-anywhere": ')
    expect(sandbox.stderr()).toBe(`${outcome.error}\n`)
  })

  test('a shell path that does not exist fails with starting shell and the reason', async () => {
    const shell = join(sandbox.dir, 'missing-shell')
    const outcome = await sandbox.run(['echo hi'], { shell })

    expect(outcome).toEqual({
      status: 'error',
      exitCode: -1,
      error: `starting shell "${shell}": no such file or directory`,
    })
  })

  test('a bare shell name is looked up on the PATH of the task environment', async () => {
    const outcome = await sandbox.run(['echo found'], { shell: 'sh' })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe('found\n')
  })

  test('a log file that cannot be created fails the task before its shell starts', async () => {
    const marker = join(sandbox.dir, 'ran')
    const task = sandbox.start({
      lines: [`touch '${marker}'`],
      stdoutPath: join(sandbox.dir, 'missing-dir', 'stdout.log'),
    })
    const outcome = await task.done

    expect(outcome.status).toBe('error')
    expect(outcome.exitCode).toBe(-1)
    expect(outcome.error).toStartWith('writing task output: ')
    expect(task.pid).toBeUndefined()
    expect(existsSync(marker)).toBe(false)
    expect(sandbox.stderr()).toBe(`${outcome.error}\n`)
  })

  test('kill after the task has ended changes nothing', async () => {
    const task = sandbox.start({ lines: ['exit 3'] })
    const outcome = await task.done
    task.kill()

    expect(await task.done).toBe(outcome)
    expect(outcome).toEqual({ status: 'error', exitCode: 3, error: 'exit status 3' })
  })
})
