import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { isProcessRunning, SHELLS, TaskSandbox, waitFor } from './support.ts'

let sandbox: TaskSandbox

beforeEach(() => {
  sandbox = new TaskSandbox()
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe.each(SHELLS)('kill sequence under %s', (shell) => {
  test('cancel kills the whole group, also background and SIGINT-ignoring children', async () => {
    const task = sandbox.start({
      shell,
      lines: [
        'sleep 600 & echo $!',
        `sh -c 'trap "" INT; echo $$; exec sleep 600' & echo never-waited >/dev/null`,
        'echo $$',
        'sleep 600',
      ],
    })
    const pids = await sandbox.waitForPids(3)
    task.kill()
    const outcome = await task.done

    expect(outcome).toEqual({ status: 'canceled', exitCode: -1 })
    expect(pids).toContain(task.pid as number)
    for (const pid of pids) {
      expect(isProcessRunning(pid)).toBe(false)
    }
  })

  test('a foreground child that handles SIGINT does not let the next line run', async () => {
    const task = sandbox.start({
      shell,
      killGraceMs: 10_000,
      lines: [`sh -c 'trap "exit 0" INT; echo ready; while :; do sleep 0.05; done'`, 'echo next'],
    })
    await waitFor(() => sandbox.stdout().includes('ready'), 'the child to start')
    task.kill()
    const outcome = await task.done

    expect(outcome).toEqual({ status: 'canceled', exitCode: -1 })
    expect(sandbox.stdout()).toBe('ready\n')
  })

  test('a script with its own SIGINT trap keeps running lines after the signal', async () => {
    const task = sandbox.start({
      shell,
      killGraceMs: 10_000,
      allowFailure: true,
      lines: ["trap 'echo trapped' INT", 'echo ready; sleep 600', 'echo next'],
    })
    await waitFor(() => sandbox.stdout().includes('ready'), 'the script to start')
    task.kill()
    const outcome = await task.done

    expect(outcome).toEqual({ status: 'canceled', exitCode: -1 })
    expect(sandbox.stdout()).toBe('ready\ntrapped\nnext\n')
  })

  test('a background child left behind by a finished shell is killed and does not hang the task', async () => {
    const task = sandbox.start({
      shell,
      lines: [`sh -c 'trap "" INT; echo $$; while :; do echo tick; sleep 0.05; done' &`],
    })
    const outcome = await task.done
    const [childPid] = await sandbox.waitForPids(1)

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(isProcessRunning(childPid as number)).toBe(false)
  })
})

describe('processes outside the kill sequence', () => {
  test('a process that left the group cannot hold the task open through the pipes', async () => {
    const task = sandbox.start({
      lines: [`setsid sh -c 'echo $$; exec sleep 600' &`, 'sleep 0.2'],
    })
    const outcome = await task.done
    const [escapedPid] = await sandbox.waitForPids(1)

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    // It escaped the group on purpose, so it is still alive; cleanup kills it by pid.
    expect(isProcessRunning(escapedPid as number)).toBe(true)
  })

  test('a shell killed by a signal prunner did not send ends error with 128 + S', async () => {
    const outcome = await sandbox.run(['echo before', 'kill -TERM $$', 'echo never'])

    const error = 'terminated by signal SIGTERM'
    expect(outcome).toEqual({ status: 'error', exitCode: 143, error })
    expect(sandbox.stdout()).toBe('before\n')
    expect(sandbox.stderr()).toBe(`${error}\n`)
  })

  test('kill is idempotent and the outcome stays canceled', async () => {
    const task = sandbox.start({ lines: ['echo $$; sleep 600'], logger: sandbox.capturingLogger() })
    await sandbox.waitForPids(1)
    task.kill()
    task.kill()
    const outcome = await task.done
    task.kill()

    expect(outcome).toEqual({ status: 'canceled', exitCode: -1 })
    const signals = sandbox.records.filter((record) => record.msg === 'task signaled')
    expect(signals.map((record) => record.fields.signal)).toEqual(['SIGINT'])
  })
})
