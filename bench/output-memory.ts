/**
 * Memory benchmark for task output (issue 3, SPEC §6.5): starts the real CLI, runs a task that
 * prints 1 GiB to stdout, samples prunner's RSS against its idle RSS measured in the same run,
 * then streams the task's log back through `GET /job/logs` and checks its size.
 *
 *   node_modules/.bin/bun bench/output-memory.ts [--mib N]
 *
 * Exits 1 when the peak while the task runs grows more than 50 MB over idle (the limit issue 3
 * sets), or when the log file or the logs response is incomplete. The peak while the log is served
 * is printed too, against the same limit, but does not decide the exit code.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const LIMIT_BYTES = 50 * 1000 * 1000
const SAMPLE_MS = 20
// `yes` repeats this line; 63 characters plus the newline make 64 bytes, so sizes stay exact.
const LINE = 'x'.repeat(63)
const LINE_BYTES = LINE.length + 1
const SECRET = 'bench-secret-0123456789abcdef'
const MAIN = resolve(import.meta.dir, '..', 'src', 'main.ts')

interface Phase {
  name: string
  peakBytes: number
  isGated: boolean
}

async function main(): Promise<number> {
  const outputBytes = readMiB() * 1024 * 1024
  const dir = mkdtempSync(join(tmpdir(), 'prunner-bench-'))
  writeFileSync(join(dir, 'pipelines.yml'), pipelinesYaml(outputBytes))
  const prunner = startPrunner(dir)
  try {
    const port = await waitForPort(prunner.stderr, prunner.process)
    const api = apiClient(port)
    await runJob(api, 'warmup')
    const idleBytes = await settleIdle(prunner.process.pid)

    const write = await sampleWhile(prunner.process.pid, () => runJob(api, 'loud'))
    const jobId = write.result
    const fileBytes = statSync(join(dir, '.prunner', 'logs', jobId, 'loud-stdout.log')).size
    const serve = await sampleWhile(prunner.process.pid, () => countLogBody(api, jobId))

    const expectedBody = expectedLogBodyBytes(outputBytes)
    const phases: Phase[] = [
      { name: 'task writing', peakBytes: write.peakBytes, isGated: true },
      { name: 'log served', peakBytes: serve.peakBytes, isGated: false },
    ]
    report({ idleBytes, phases, outputBytes, fileBytes, bodyBytes: serve.result, expectedBody })
    const isWithinLimit = phases.every(
      (phase) => !phase.isGated || phase.peakBytes - idleBytes <= LIMIT_BYTES,
    )
    const isComplete = fileBytes === outputBytes && serve.result === expectedBody
    return isWithinLimit && isComplete ? 0 : 1
  } finally {
    prunner.process.kill('SIGKILL')
    await prunner.process.exited
    rmSync(dir, { recursive: true, force: true })
  }
}

function readMiB(): number {
  const index = process.argv.indexOf('--mib')
  const value = index === -1 ? 1024 : Number(process.argv[index + 1])
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error('--mib needs a positive integer')
  }

  return value
}

function pipelinesYaml(outputBytes: number): string {
  return `pipelines:
  warmup:
    tasks:
      t:
        script: ['yes ${LINE} | head -c 1048576']
  loud:
    tasks:
      loud:
        script: ['yes ${LINE} | head -c ${outputBytes}']
`
}

function startPrunner(dir: string) {
  const args = ['--no-env-file', MAIN, '--address', '127.0.0.1:0', '--data', '.prunner']
  const child = Bun.spawn([process.execPath, ...args, '--disable-ansi'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, PRUNNER_JWT_SECRET: SECRET },
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const stderr = { text: '' }
  void collectText(child.stderr, stderr)
  return { process: child, stderr }
}

async function waitForPort(stderr: { text: string }, child: Bun.Subprocess): Promise<number> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`prunner exited with ${child.exitCode}:\n${stderr.text}`)
    }

    const match = stderr.text.match(/msg="http api listening" address=\S*:(\d+)/)
    if (match) {
      return Number(match[1])
    }

    await Bun.sleep(25)
  }
  throw new Error('prunner did not start listening within 15 s')
}

type Api = (method: string, path: string, body?: unknown) => Promise<Response>

function apiClient(port: number): Api {
  const token = signToken({ sub: 'bench' })
  return (method, path, body) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
}

/** Schedules a job of `pipeline` and polls until it is completed; returns its id. */
async function runJob(api: Api, pipeline: string): Promise<string> {
  const scheduled = await api('POST', '/pipelines/schedule', { pipeline })
  if (scheduled.status !== 202) {
    throw new Error(`scheduling ${pipeline}: ${scheduled.status} ${await scheduled.text()}`)
  }

  const { jobId } = (await scheduled.json()) as { jobId: string }
  const deadline = Date.now() + 600_000
  while (Date.now() < deadline) {
    const detail = (await (await api('GET', `/job/detail?id=${jobId}`)).json()) as {
      completed: boolean
      lastError?: string
    }
    if (detail.completed) {
      if (detail.lastError !== undefined) {
        throw new Error(`job ${pipeline} failed: ${detail.lastError}`)
      }

      return jobId
    }

    await Bun.sleep(100)
  }
  throw new Error(`job ${pipeline} did not complete within 10 minutes`)
}

/** Reads the logs response as a stream and counts its bytes, never holding it whole. */
async function countLogBody(api: Api, jobId: string): Promise<number> {
  const response = await api('GET', `/job/logs?id=${jobId}&task=loud`)
  if (response.status !== 200 || response.body === null) {
    throw new Error(`logs: ${response.status}`)
  }

  let bytes = 0
  for await (const chunk of response.body) {
    bytes += chunk.byteLength
  }
  return bytes
}

/** `{"stdout":"…","stderr":""}\n`, where each newline of the output is escaped as two bytes. */
function expectedLogBodyBytes(outputBytes: number): number {
  const newlines = Math.floor(outputBytes / LINE_BYTES)
  return `${JSON.stringify({ stdout: '', stderr: '' })}\n`.length + outputBytes + newlines
}

/** The RSS after the warm-up job, once two samples 200 ms apart agree within 1 MB. */
async function settleIdle(pid: number): Promise<number> {
  let previous = readRss(pid)
  for (let attempt = 0; attempt < 25; attempt++) {
    await Bun.sleep(200)
    const current = readRss(pid)
    if (Math.abs(current - previous) < 1024 * 1024) {
      return current
    }

    previous = current
  }
  return previous
}

async function sampleWhile<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peakBytes: number }> {
  let peakBytes = readRss(pid)
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, readRss(pid))
  }, SAMPLE_MS)
  try {
    const result = await work()
    peakBytes = Math.max(peakBytes, readRss(pid))
    return { result, peakBytes }
  } finally {
    clearInterval(timer)
  }
}

/** VmRSS of `pid` in bytes (Linux only). */
function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = status.match(/^VmRSS:\s+(\d+) kB$/m)
  if (!match) {
    throw new Error(`no VmRSS in /proc/${pid}/status`)
  }

  return Number(match[1]) * 1024
}

function report(results: {
  idleBytes: number
  phases: Phase[]
  outputBytes: number
  fileBytes: number
  bodyBytes: number
  expectedBody: number
}): void {
  const { idleBytes, phases, outputBytes, fileBytes, bodyBytes, expectedBody } = results
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`
  console.log(`task output       ${mb(outputBytes)}`)
  console.log(`idle RSS          ${mb(idleBytes)} (baseline)`)
  for (const { name, peakBytes, isGated } of phases) {
    const delta = peakBytes - idleBytes
    const verdict =
      (delta <= LIMIT_BYTES ? 'ok' : `over the ${mb(LIMIT_BYTES)} limit`) +
      (isGated ? '' : ' (informational)')
    const ratio = (peakBytes / idleBytes).toFixed(2)
    console.log(
      `${name.padEnd(17)} peak ${mb(peakBytes)}, +${mb(delta)}, ${ratio}x idle: ${verdict}`,
    )
  }
  console.log(`log file          ${fileBytes} bytes (expected ${outputBytes})`)
  console.log(`logs response     ${bodyBytes} bytes (expected ${expectedBody})`)
}

function signToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`
  const hmac = new Bun.CryptoHasher('sha256', SECRET).update(unsigned).digest('base64url')
  return `${unsigned}.${hmac}`
}

async function collectText(
  stream: ReadableStream<Uint8Array>,
  into: { text: string },
): Promise<void> {
  const decoder = new TextDecoder()
  for await (const chunk of stream) {
    into.text += decoder.decode(chunk, { stream: true })
  }
}

process.exitCode = await main()
