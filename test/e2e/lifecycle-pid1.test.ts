import { afterAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listProcesses } from '../../src/lifecycle/index.ts'
import { signToken } from '../helpers/jwt.ts'
import { BUN, MAIN, TEST_SECRET } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

setDefaultTimeout(60_000)

const JOBS = 30

// Each job leaves an orphan: the subshell exits at once, its `sleep` is re-parented to PID 1.
const PIPELINES = `
pipelines:
  orphans:
    concurrency: 5
    tasks:
      a:
        script:
          - ( sleep 0.2 & )
          - echo started
`

const dirs: string[] = []

afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true })
  }
})

const unshareProblem = checkUnshare()
if (unshareProblem !== undefined) {
  process.stderr.write(`skipping the PID 1 test: ${unshareProblem}\n`)
}

test.skipIf(unshareProblem !== undefined)(
  'as PID 1 of a PID namespace prunner reaps orphaned task children and stops on SIGINT',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prunner-pid1-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'pipelines.yml'), PIPELINES)
    const proc = Bun.spawn(
      [
        'unshare',
        '--pid',
        '--fork',
        '--mount-proc',
        '--kill-child',
        BUN,
        '--no-env-file',
        MAIN,
        '--address',
        '127.0.0.1:0',
        '--disable-ansi',
      ],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          PRUNNER_JWT_SECRET: TEST_SECRET,
        },
        stdin: 'ignore',
        stdout: 'ignore',
        stderr: 'pipe',
      },
    )
    const lines: string[] = []
    try {
      void collect(proc.stderr, lines)
      const port = await waitFor(
        () => {
          const match = lines.join('\n').match(/http api listening.*address=\S*:(\d+)/)
          return match ? Number(match[1]) : undefined
        },
        { what: 'prunner to listen' },
      )
      const prunnerPid = await waitFor(
        () => listProcesses().find((stat) => stat.ppid === proc.pid)?.pid,
        { what: 'the prunner process inside the namespace' },
      )
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`http://127.0.0.1:${port}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${signToken(TEST_SECRET, { sub: 't' })}` },
        })

      const ids: string[] = []
      for (let index = 0; index < JOBS; index++) {
        const response = await api('/pipelines/schedule', {
          method: 'POST',
          body: JSON.stringify({ pipeline: 'orphans' }),
        })
        ids.push(((await response.json()) as { jobId: string }).jobId)
      }
      await waitFor(
        async () => {
          const response = await api('/pipelines/jobs')
          const { jobs } = (await response.json()) as { jobs: { completed: boolean }[] }
          return jobs.length === JOBS && jobs.every((job) => job.completed)
        },
        { what: 'every job to complete', timeoutMs: 20_000 },
      )

      // No zombie child of prunner stays: each orphan is reaped soon after it exits.
      await waitFor(() => zombiesOf(prunnerPid) === 0, { what: 'no zombies', timeoutMs: 3_000 })

      // unshare does not forward signals, so prunner gets its SIGINT directly.
      process.kill(prunnerPid, 'SIGINT')
      expect(await proc.exited).toBe(0)
      expect(lines.some((line) => line.includes('msg="shutdown complete"'))).toBe(true)
    } catch (error) {
      throw new Error(`${error}\n${lines.join('\n')}`)
    } finally {
      proc.kill('SIGKILL')
    }
  },
)

function zombiesOf(pid: number): number {
  return listProcesses().filter((stat) => stat.ppid === pid && stat.state === 'Z').length
}

function checkUnshare(): string | undefined {
  if (process.platform !== 'linux') {
    return 'PID namespaces exist only on Linux'
  }

  const result = Bun.spawnSync(['unshare', '--pid', '--fork', '--mount-proc', 'true'], {
    stderr: 'pipe',
  })
  if (result.exitCode !== 0) {
    return `unshare --pid --fork is not permitted here (${result.stderr.toString().trim()})`
  }

  return undefined
}

async function collect(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  const decoder = new TextDecoder()
  for await (const chunk of stream) {
    into.push(...decoder.decode(chunk, { stream: true }).split('\n'))
  }
}
