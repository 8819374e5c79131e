import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TaskSandbox } from './support.ts'

const SECRET = 'token-7f3a9c1e5b'

let sandbox: TaskSandbox
let scratchDir: string

beforeEach(() => {
  sandbox = new TaskSandbox()
  scratchDir = join(sandbox.dir, 'scratch')
  mkdirSync(scratchDir)
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe('the rendered script', () => {
  test.if(process.platform === 'linux')(
    'is not on the command line of the shell, where ps would show it',
    async () => {
      const task = sandbox.start({ lines: [`: ${SECRET}; echo $$`, 'sleep 30'], scratchDir })
      const [shellPid] = await sandbox.waitForPids(1)
      const cmdline = readFileSync(`/proc/${shellPid}/cmdline`, 'latin1')
      task.kill()
      await task.done

      expect(shellPid).toBe(task.pid as number)
      expect(cmdline.split('\0')).toContain('/dev/fd/3')
      expect(cmdline).not.toContain(SECRET)
    },
  )

  test.if(process.platform !== 'win32')(
    'has no readable file while the task runs; only a private directory exists',
    async () => {
      const task = sandbox.start({ lines: [`: ${SECRET}; echo $$`, 'sleep 30'], scratchDir })
      await sandbox.waitForPids(1)
      const dirs = readdirSync(scratchDir)
      const dir = join(scratchDir, dirs[0] ?? '')
      const mode = statSync(dir).mode & 0o777
      const files = readdirSync(dir)
      task.kill()
      await task.done

      expect(dirs).toHaveLength(1)
      expect(mode).toBe(0o700)
      expect(files).toEqual([])
    },
  )

  test('leaves nothing behind when the task ends, also with allow_failure', async () => {
    const outcome = await sandbox.run([`: ${SECRET}`, 'false'], { scratchDir, allowFailure: true })

    expect(outcome).toEqual({ status: 'done', exitCode: 1 })
    expect(readdirSync(scratchDir)).toEqual([])
  })

  test('leaves nothing behind when the shell cannot start', async () => {
    const shell = join(sandbox.dir, 'missing-shell')
    const outcome = await sandbox.run([`: ${SECRET}`], { scratchDir, shell })

    expect(outcome.error).toBe(`starting shell "${shell}": no such file or directory`)
    expect(readdirSync(scratchDir)).toEqual([])
  })
})
