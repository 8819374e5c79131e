import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { readdirSync, readlinkSync } from 'node:fs'
import { isProcessRunning, SHELLS, TaskSandbox, waitFor } from './support.ts'

const isLinux = process.platform === 'linux'

let sandbox: TaskSandbox

beforeEach(() => {
  sandbox = new TaskSandbox()
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe.each(SHELLS)('output files under %s', (shell) => {
  test('commands can open /dev/stdout and /dev/stderr by name, as tee does', async () => {
    const lines = [
      'echo to-stdout > /dev/stdout',
      'echo to-stderr > /dev/stderr',
      'echo to-both | tee /dev/stderr',
      'printf partial >> /dev/stdout',
    ]
    const outcome = await sandbox.run(lines, { shell })

    expect(sandbox.stderr()).toBe('to-stderr\nto-both\n')
    expect(sandbox.stdout()).toBe('to-stdout\nto-both\npartial')
    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
  })
})

describe.if(isLinux)('descriptors of task processes', () => {
  test('a command holds stdin from /dev/null and pipes as stdout and stderr, nothing else', async () => {
    const task = sandbox.start({ lines: ['sleep 30 & echo $!', 'wait'] })
    const [sleepPid] = await sandbox.waitForPids(1)
    const fds = readdirSync(`/proc/${sleepPid}/fd`).sort()
    const targets = fds.map((fd) => readlinkSync(`/proc/${sleepPid}/fd/${fd}`))
    task.kill()
    await task.done

    expect(fds).toEqual(['0', '1', '2'])
    expect(targets[0]).toBe('/dev/null')
    expect(targets[1]).toMatch(/^pipe:\[\d+\]$/)
    expect(targets[2]).toMatch(/^pipe:\[\d+\]$/)
  })

  test('prunner keeps no descriptor of finished tasks, however they ended', async () => {
    await sandbox.run(['echo warm-up'])
    const before = countOwnFds()
    const endings = [
      sandbox.run(['echo out; echo err >&2']),
      sandbox.run(['exit 3']),
      sandbox.run(['false'], { allowFailure: true }),
      sandbox.run(['echo hi'], { shell: `${sandbox.dir}/missing-shell` }),
      sandbox.run([`setsid sh -c 'echo $$; exec sleep 600' &`]),
    ]
    const canceled = sandbox.start({ lines: ['sleep 600'] })
    canceled.kill()
    await Promise.all([...endings, canceled.done])
    await sandbox.waitForPids(1)

    // Bun closes a child's pidfd shortly after the exit is seen, so allow it a moment.
    await waitFor(() => countOwnFds() <= before, `fd count back to ${before}`, 3000)
  })
})

describe('processes that outlive their task', () => {
  test('a writer that left the group gets SIGPIPE once the task has completed', async () => {
    const writer = `setsid sh -c 'echo $$; while :; do echo tick; sleep 0.05; done' &`
    const outcome = await sandbox.run([writer, 'sleep 0.2'])
    const [writerPid] = await sandbox.waitForPids(1)

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    // Its next echo hits a pipe without a reader; SIGPIPE ends the loop's shell.
    await waitFor(() => !isProcessRunning(writerPid as number), 'the escaped writer to die', 3000)
  })
})

// Pipes only: the executor's descriptors are pipes, while sockets and files of other test files
// that run in this same process may still be opening or closing.
function countOwnFds(): number {
  let pipes = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      pipes += readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:') ? 1 : 0
    } catch {
      // Closed between the listing and the read.
    }
  }
  return pipes
}
