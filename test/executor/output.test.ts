import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { TaskSandbox } from './support.ts'

let sandbox: TaskSandbox

beforeEach(() => {
  sandbox = new TaskSandbox()
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe('task output', () => {
  test('keeps bytes unchanged: invalid UTF-8, CR and a last line without newline', async () => {
    const outcome = await sandbox.run(["printf 'a\\377\\376b\\r\\nno newline'"])

    expect(outcome.status).toBe('done')
    const expected = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0d, 0x0a, ...Buffer.from('no newline')])
    expect(readFileSync(sandbox.stdoutPath)).toEqual(expected)
  })

  test('creates both log files with mode 0600 and truncates old content', async () => {
    writeFileSync(sandbox.stdoutPath, 'old content that must go\n')
    chmodSync(sandbox.stdoutPath, 0o644)
    const outcome = await sandbox.run(['echo new'])

    expect(outcome.status).toBe('done')
    expect(sandbox.stdout()).toBe('new\n')
    expect(sandbox.stderr()).toBe('')
    expect(statSync(sandbox.stdoutPath).mode & 0o777).toBe(0o600)
    expect(statSync(sandbox.stderrPath).mode & 0o777).toBe(0o600)
  })

  test('drains heavy output on both streams at once', async () => {
    const megabytes = 16
    const lines = [
      `head -c ${megabytes * 1024 * 1024} /dev/zero | tr '\\0' o &`,
      `head -c ${megabytes * 1024 * 1024} /dev/zero | tr '\\0' e >&2`,
      'wait',
    ]
    const outcome = await sandbox.run(lines)

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(statSync(sandbox.stdoutPath).size).toBe(megabytes * 1024 * 1024)
    expect(statSync(sandbox.stderrPath).size).toBe(megabytes * 1024 * 1024)
  })

  test('streams large output to disk without holding it in memory', async () => {
    const bytes = 256 * 1024 * 1024
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }, 5)
    try {
      const outcome = await sandbox.run([`head -c ${bytes} /dev/zero`])
      expect(outcome.status).toBe('done')
    } finally {
      clearInterval(sampler)
    }

    expect(statSync(sandbox.stdoutPath).size).toBe(bytes)
    // Generous bound against GC noise; holding the output would need the full 256 MiB.
    expect(rssPeak - rssBefore).toBeLessThan(128 * 1024 * 1024)
  })

  test('a failing log write keeps draining and ends the task with writing task output', async () => {
    // /dev/full accepts the open and fails every write with ENOSPC, like a full disk.
    const lines = ['head -c 1048576 /dev/zero', 'echo still running >&2']
    const outcome = await sandbox.run(lines, { stdoutPath: '/dev/full' })

    expect(outcome.status).toBe('error')
    expect(outcome.exitCode).toBe(-1)
    expect(outcome.error).toStartWith('writing task output: ')
    expect(outcome.error).toContain('ENOSPC')
    expect(sandbox.stderr()).toBe(`still running\n${outcome.error}\n`)
  })
})
