import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { compileBinary, hostTarget, REPO_ROOT } from '../../scripts/release/index.ts'
import { signToken } from '../helpers/jwt.ts'
import { waitFor } from '../helpers/wait.ts'

// The compiled binary, not `bun src/main.ts`: bundling, bytecode and the disabled env autoload
// only exist there (SPEC §2.6, §10.4). One build serves every test in this file.
const VERSION = '2.0.0-e2e.1'
const SECRET = 'binary-test-secret-0123456789'
const target = hostTarget()
const workDir = mkdtempSync(join(tmpdir(), 'prunner-binary-'))
const binary = join(workDir, 'bin', target?.binaryName ?? 'prunner')
const running: Subprocess[] = []

// A pipeline that shows whether the runtime loaded `.env.production` or `bunfig.toml` by itself.
const LEAK_CHECK = `
pipelines:
  leak-check:
    tasks:
      show:
        script:
          - echo "leak=\${LEAKED:-none}"
`

beforeAll(async () => {
  if (target !== undefined) {
    await compileBinary({ target, version: VERSION, outfile: binary })
  }
}, 120_000)

afterAll(async () => {
  for (const proc of running) {
    proc.kill('SIGKILL')
    await proc.exited
  }
  rmSync(workDir, { recursive: true, force: true })
})

describe.skipIf(target === undefined)('the compiled binary', () => {
  test('prints the stamped version', async () => {
    const proc = Bun.spawn([binary, 'version'], { stdout: 'pipe', stderr: 'pipe' })

    expect(await new Response(proc.stdout).text()).toBe(`${VERSION}\n`)
    expect(await proc.exited).toBe(0)
  })

  test('runs the release example job scheduled through the API to completion', async () => {
    const dir = makeRunDir('example')
    const server = await startBinary(dir)

    const scheduled = await server.post('/pipelines/schedule', {
      pipeline: 'release',
      variables: { version: '1.2.3' },
    })
    expect(scheduled.status).toBe(202)
    const { jobId } = (await scheduled.json()) as { jobId: string }
    const job = await waitForJob(server, jobId)

    expect(job).toMatchObject({ completed: true, canceled: false, errored: false })
    expect(job.tasks.map((task) => [task.name, task.status])).toEqual([
      ['lint', 'done'],
      ['test', 'done'],
      ['package', 'done'],
      ['publish', 'done'],
    ])
    expect(readFileSync(join(dir, 'examples-out/VERSION'), 'utf8')).toBe('1.2.3\n')
    const health = (await (await server.get('/health')).json()) as { version: string }
    expect(health.version).toBe(VERSION)
    // The web UI comes out of the binary itself: the run directory holds no UI file.
    const page = await server.get('/ui/')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<html')
    expect(await server.stop()).toBe(0)
  }, 60_000)

  test('ignores .env.production and bunfig.toml in its working directory', async () => {
    const dir = makeRunDir('leak')
    const server = await startBinary(dir, { NODE_ENV: 'production' })

    const scheduled = await server.post('/pipelines/schedule', { pipeline: 'leak-check' })
    const { jobId } = (await scheduled.json()) as { jobId: string }
    await waitForJob(server, jobId)
    const logs = await server.get(`/job/logs?id=${jobId}&task=show`)

    expect(await logs.json()).toEqual({ stdout: 'leak=none\n', stderr: '' })
    expect(await server.stop()).toBe(0)
  }, 60_000)
})

describe('the release dry run', () => {
  test('lists every archive with the binary at its root and builds nothing', async () => {
    const outDir = join(workDir, 'dist-dry-run')
    const proc = Bun.spawn(
      [
        process.execPath,
        join(REPO_ROOT, 'scripts/release/main.ts'),
        '--dry-run',
        '--version',
        'v2.0.0',
        '--out',
        outDir,
      ],
      { stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    )
    const stdout = await new Response(proc.stdout).text()

    expect(await proc.exited).toBe(0)
    expect(stdout.trim().split('\n')).toEqual([
      `dry run: 5 archives and checksums.txt in ${outDir}`,
      'prunner_2.0.0_Linux_x86_64.tar.gz (bun-linux-x64)',
      '  prunner',
      'prunner_2.0.0_Linux_arm64.tar.gz (bun-linux-arm64)',
      '  prunner',
      'prunner_2.0.0_Darwin_x86_64.tar.gz (bun-darwin-x64)',
      '  prunner',
      'prunner_2.0.0_Darwin_arm64.tar.gz (bun-darwin-arm64)',
      '  prunner',
      'prunner_2.0.0_Windows_x86_64.zip (bun-windows-x64)',
      '  prunner.exe',
      'checksums.txt',
    ])
    expect(await Bun.file(outDir).exists()).toBe(false)
  })
})

// A working directory with the examples, the leak check pipeline, and the files Bun's runtime
// would load by itself if the binary had been built without turning that off.
function makeRunDir(name: string): string {
  const dir = join(workDir, name)
  cpSync(join(REPO_ROOT, 'examples'), join(dir, 'examples'), { recursive: true })
  writeFileSync(join(dir, 'pipelines.yml'), LEAK_CHECK)
  writeFileSync(join(dir, '.env.production'), 'LEAKED=from-dotenv-autoload\n')
  writeFileSync(join(dir, 'bunfig.toml'), 'preload = ["./missing-preload.ts"]\n')
  return dir
}

interface JobJson {
  completed: boolean
  canceled: boolean
  errored: boolean
  tasks: { name: string; status: string }[]
}

interface BinaryServer {
  get(path: string): Promise<Response>
  post(path: string, body: unknown): Promise<Response>
  /** SIGINT (graceful) and the exit code. */
  stop(): Promise<number>
}

async function startBinary(dir: string, env: Record<string, string> = {}): Promise<BinaryServer> {
  const proc = Bun.spawn(
    [binary, '--address', '127.0.0.1:0', '--data', '.prunner', '--disable-ansi'],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PRUNNER_JWT_SECRET: SECRET, ...env },
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
    },
  )
  running.push(proc)
  const port = await readListeningPort(proc)
  const headers = { authorization: `Bearer ${signToken(SECRET, { sub: 'e2e' })}` }
  const url = (path: string) => `http://127.0.0.1:${port}${path}`
  return {
    get: (path) => fetch(url(path), { headers }),
    post: (path, body) => fetch(url(path), { method: 'POST', headers, body: JSON.stringify(body) }),
    stop: () => {
      proc.kill('SIGINT')
      return proc.exited
    },
  }
}

// Reads stderr until the `http api listening` record names the port the kernel picked.
async function readListeningPort(proc: Subprocess<'ignore', 'ignore', 'pipe'>): Promise<number> {
  let log = ''
  void (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of proc.stderr) {
      log += decoder.decode(chunk, { stream: true })
    }
  })()
  return await waitFor(
    () => {
      if (proc.exitCode !== null) {
        throw new Error(`prunner exited with ${proc.exitCode}:\n${log}`)
      }
      const match = log.match(/msg="http api listening".*address=\S*:(\d+)/)
      return match === null ? undefined : Number(match[1])
    },
    { what: 'the binary to listen' },
  )
}

async function waitForJob(server: BinaryServer, jobId: string): Promise<JobJson> {
  return await waitFor(
    async () => {
      const job = (await (await server.get(`/job/detail?id=${jobId}`)).json()) as JobJson
      return job.completed ? job : undefined
    },
    { what: `job ${jobId} to complete`, timeoutMs: 30_000 },
  )
}
