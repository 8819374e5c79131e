import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { markLine } from './clock-script.ts'
import { type RunningServer, startServer } from './servers.ts'
import { waitFor } from './wait.ts'

const SECRET = 'bench-secret-0123456789abcdef'

// `marks/` is relative to prunner's working directory, which is also every task's.
export const PIPELINES = `
pipelines:
  first:
    tasks:
      mark:
        script:
          - ${markLine('marks/first-{{ .n }}')}
  chain:
    tasks:
      a:
        script:
          - ${markLine('marks/a-{{ .n }}')}
      b:
        depends_on: [a]
        script:
          - ${markLine('marks/b-{{ .n }}')}
  many:
    concurrency: 50
    tasks:
      noop:
        script:
          - "true"
`

export interface BenchPrunner extends RunningServer {
  dir: string
  startupMs: number
  schedule(pipeline: string, variables?: Record<string, unknown>): Promise<string>
  get(path: string): Promise<Response>
  /** Resolves when no job is running or queued (GET /debug/vars). */
  waitIdle(timeoutMs?: number): Promise<void>
}

/** Starts the compiled prunner in `dir` (created with the bench pipelines) on a free port. */
export async function startPrunner(binary: string, dir: string): Promise<BenchPrunner> {
  mkdirSync(join(dir, 'marks'), { recursive: true })
  writeFileSync(join(dir, 'pipelines.yml'), PIPELINES)
  const server = await startServer({
    cmd: [binary, '--address', '127.0.0.1:{port}', '--data', 'data', '--enable-profiling'],
    cwd: dir,
    env: { PRUNNER_JWT_SECRET: SECRET, PRUNNER_DISABLE_ANSI: '1' },
  })
  const headers = { authorization: await debugToken(binary, dir) }
  const get = (path: string) => fetch(server.url(path), { headers })
  return {
    ...server,
    dir,
    get,
    schedule: async (pipeline, variables) => {
      const response = await fetch(server.url('/pipelines/schedule'), {
        method: 'POST',
        headers,
        body: JSON.stringify({ pipeline, variables }),
      })
      if (response.status !== 202) {
        throw new Error(`schedule ${pipeline}: ${response.status} ${await response.text()}`)
      }
      return ((await response.json()) as { jobId: string }).jobId
    },
    waitIdle: async (timeoutMs = 120_000) => {
      await waitFor(
        async () => {
          const vars = (await (await get('/debug/vars')).json()) as {
            jobs: { running: number; queued: number }
          }
          return vars.jobs.running === 0 && vars.jobs.queued === 0
        },
        { what: 'prunner to finish every job', timeoutMs, intervalMs: 10 },
      )
    },
  }
}

// The documented way to get a token: `MINIMAL_OUTPUT=1 prunner debug`.
async function debugToken(binary: string, dir: string): Promise<string> {
  const proc = Bun.spawn([binary, 'debug'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PRUNNER_JWT_SECRET: SECRET, MINIMAL_OUTPUT: '1' },
    stdout: 'pipe',
    stderr: 'ignore',
  })
  const token = await new Response(proc.stdout).text()
  if ((await proc.exited) !== 0 || !token.startsWith('Bearer ')) {
    throw new Error(`prunner debug printed "${token}"`)
  }
  return token
}
