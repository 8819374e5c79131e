import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Subprocess } from 'bun'
import { signToken } from './jwt.ts'
import { waitFor } from './wait.ts'

export const REPO_ROOT = resolve(import.meta.dir, '../..')
export const BUN = process.execPath
export const MAIN = join(REPO_ROOT, 'src/main.ts')
export const TEST_SECRET = 'test-secret-0123456789abcdef'

export interface PrunnerProcess {
  dir: string
  dataDir: string
  port: number
  proc: Subprocess<'ignore', 'ignore', 'pipe'>
  /** Every stderr line so far (logfmt). */
  logLines: string[]
  request(
    method: string,
    path: string,
    init?: { body?: string; token?: string | null },
  ): Promise<Response>
  json<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  token(claims?: Record<string, unknown>): string
  /** Sends a signal and waits for the process to exit; returns its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>
}

export interface StartOptions {
  /** Files to create in the temp working directory (e.g. `pipelines.yml`). */
  files?: Record<string, string>
  /** Reuse an existing working directory (a restart). */
  dir?: string
  args?: string[]
  env?: Record<string, string>
}

const started = new Set<PrunnerProcess>()

/** Starts the real CLI (`bun src/main.ts`) on 127.0.0.1 with a free port and a temp directory. */
export async function startPrunner(options: StartOptions = {}): Promise<PrunnerProcess> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'prunner-e2e-'))
  for (const [name, content] of Object.entries(options.files ?? {})) {
    writeFileSync(join(dir, name), content)
  }

  const proc = Bun.spawn(
    [
      BUN,
      // Bun itself must not load `.env` from the cwd: the release binary is built without that.
      '--no-env-file',
      MAIN,
      '--address',
      '127.0.0.1:0',
      '--data',
      '.prunner',
      '--disable-ansi',
      ...(options.args ?? []),
    ],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        PRUNNER_JWT_SECRET: TEST_SECRET,
        ...options.env,
      },
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
    },
  )
  const logLines: string[] = []
  void collectLines(proc.stderr, logLines)
  const port = await waitFor(
    () => {
      if (proc.exitCode !== null) {
        throw new Error(`prunner exited with ${proc.exitCode}:\n${logLines.join('\n')}`)
      }
      const line = logLines.find((l) => l.includes('msg="http api listening"'))
      const match = line?.match(/address=\S*:(\d+)/)
      return match ? Number(match[1]) : undefined
    },
    { what: 'prunner to listen' },
  )
  const instance = makeInstance({ dir, proc, port, logLines })
  started.add(instance)
  return instance
}

/** Kills every prunner a test started and left running, and removes their directories. */
export async function cleanupPrunners(options: { keepDirs?: boolean } = {}): Promise<void> {
  for (const instance of started) {
    if (instance.proc.exitCode === null) {
      instance.proc.kill('SIGKILL')
      await instance.proc.exited
    }
    if (!options.keepDirs) {
      rmSync(instance.dir, { recursive: true, force: true })
    }
  }
  started.clear()
}

function makeInstance(parts: {
  dir: string
  proc: Subprocess<'ignore', 'ignore', 'pipe'>
  port: number
  logLines: string[]
}): PrunnerProcess {
  const { dir, proc, port, logLines } = parts
  const token = (
    claims: Record<string, unknown> = { sub: 'tester', exp: Math.floor(Date.now() / 1000) + 60 },
  ) => signToken(TEST_SECRET, claims)
  const request: PrunnerProcess['request'] = (method, path, init = {}) => {
    const headers: Record<string, string> = {}
    const bearer = init.token === undefined ? token() : init.token
    if (bearer !== null) {
      headers.authorization = `Bearer ${bearer}`
    }
    return fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body: init.body })
  }
  return {
    dir,
    dataDir: join(dir, '.prunner'),
    port,
    proc,
    logLines,
    request,
    token,
    json: async (method, path, body) => {
      const response = await request(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
    },
    stop: async (signal = 'SIGINT') => {
      proc.kill(signal)
      return await proc.exited
    },
  }
}

async function collectLines(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  const decoder = new TextDecoder()
  let pending = ''
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true })
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    into.push(...lines)
  }
  if (pending !== '') {
    into.push(pending)
  }
}
