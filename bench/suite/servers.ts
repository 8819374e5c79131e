import { createServer } from 'node:net'
import type { Subprocess } from 'bun'
import { nowMs } from './stats.ts'
import { waitFor } from './wait.ts'

export interface RunningServer {
  proc: Subprocess<'ignore', 'ignore', 'pipe'>
  port: number
  url(path: string): string
  /** SIGINT, then the exit code. */
  stop(): Promise<number>
}

export interface StartOptions {
  cmd: string[]
  cwd: string
  env?: Record<string, string>
}

/** A port that was free a moment ago; the benchmarks need it before the server logs anything. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise<void>((done) => server.close(() => done()))
  if (address === null || typeof address === 'string') {
    throw new Error('no port')
  }
  return address.port
}

/** Starts `cmd` with `{port}` replaced and resolves once a TCP connect succeeds. */
export async function startServer(
  options: StartOptions,
): Promise<RunningServer & { startupMs: number }> {
  const port = await freePort()
  const cmd = options.cmd.map((arg) => arg.replace('{port}', String(port)))
  const startedAt = nowMs()
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const stderr = collect(proc.stderr)
  await waitFor(
    async () => {
      if (proc.exitCode !== null) {
        throw new Error(`${cmd[0]} exited with ${proc.exitCode}:\n${stderr.text}`)
      }
      return await canConnect(port)
    },
    { what: `${cmd[0]} to listen on ${port}`, intervalMs: 1 },
  )
  const startupMs = nowMs() - startedAt
  return {
    proc,
    port,
    startupMs,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    stop: () => {
      proc.kill('SIGINT')
      return proc.exited
    },
  }
}

/** Resident set size of a process in MiB, via `ps` (Linux and macOS). */
export async function rssMiB(pid: number): Promise<number> {
  const proc = Bun.spawn(['ps', '-o', 'rss=', '-p', String(pid)], { stdout: 'pipe' })
  const kib = Number((await new Response(proc.stdout).text()).trim())
  return kib / 1024
}

async function canConnect(port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: { data() {} },
    })
    socket.end()
    return true
  } catch {
    return false // not listening yet
  }
}

function collect(stream: ReadableStream<Uint8Array>): { text: string } {
  const sink = { text: '' }
  void (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of stream) {
      sink.text += decoder.decode(chunk, { stream: true })
    }
  })()
  return sink
}
