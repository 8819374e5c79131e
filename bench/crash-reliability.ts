/**
 * Crash reliability (issue 5): runs 500 jobs through the real CLI, kills prunner with SIGKILL at
 * 20 random moments and restarts it on the same data directory each time. After every kill it
 * checks the database with `PRAGMA integrity_check`; after every restart it checks that every job
 * a client had seen finished is still there unchanged and that no task process of an earlier run
 * is still alive (prunner must kill those at start-up).
 *
 *   node_modules/.bin/bun bench/crash-reliability.ts [--jobs 500] [--kills 20] [--seed N]
 *
 * Every job's first task appends the job id to `runs.log`, so a job that a restart wrongly ran
 * a second time shows up twice.
 *
 * Prints finished jobs lost, corrupt databases, orphan processes and jobs run twice; exits 1
 * unless all are 0.
 */
import { Database } from 'bun:sqlite'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { signToken } from '../test/helpers/jwt.ts'

const SECRET = 'bench-secret-0123456789abcdef'
const MAIN = resolve(import.meta.dir, '..', 'src', 'main.ts')
const RUN_MARKER = 'PRUNNER_CRASH_BENCH_RUN'
// Tells this benchmark's processes apart from those of any other run on the machine.
const BENCH_ID = crypto.randomUUID()

// Short tasks with a background child, so a kill often lands while groups are alive.
const PIPELINES = `
pipelines:
  work:
    concurrency: 8
    tasks:
      first:
        script:
          - echo {{ .__jobID }} >> runs.log
          - sleep 0.5 &
          - sleep 0.0$(( RANDOM % 9 + 1 ))
      second:
        depends_on: [first]
        script:
          - sleep 0.0$(( RANDOM % 9 + 1 ))
`

interface JobView {
  id: string
  completed: boolean
  canceled: boolean
  end: string | null
  lastError?: string
  tasks: { name: string; status: string; exitCode: number }[]
}

interface Prunner {
  proc: ReturnType<typeof Bun.spawn>
  port: number
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      jobs: { type: 'string', default: '500' },
      kills: { type: 'string', default: '20' },
      seed: { type: 'string', default: String(Date.now()) },
    },
  })
  const totalJobs = Number(values.jobs)
  const kills = Number(values.kills)
  const random = seededRandom(Number(values.seed))
  const dir = mkdtempSync(join(tmpdir(), 'prunner-crash-'))
  writeFileSync(join(dir, 'pipelines.yml'), PIPELINES)
  console.log(`crash reliability: ${totalJobs} jobs, ${kills} SIGKILLs, seed ${values.seed}`)

  const seen = new Map<string, string>()
  let lost = 0
  let corrupt = 0
  let twice = 0
  let orphans = 0
  let scheduled = 0
  let run = 0
  let prunner: Prunner | undefined
  try {
    prunner = await start(dir, run)
    for (let kill = 1; kill <= kills; kill++) {
      const batch = Math.ceil((totalJobs - scheduled) / (kills - kill + 1))
      scheduled += await scheduleJobs(prunner, batch)
      await Bun.sleep(50 + random() * 700)
      await remember(prunner, seen)

      prunner.proc.kill('SIGKILL')
      await prunner.proc.exited
      corrupt += checkIntegrity(dir) ? 0 : 1

      run++
      prunner = await start(dir, run)
      orphans += countOrphans(run)
      lost += await countLost(prunner, seen)
    }

    await waitUntilIdle(prunner)
    await remember(prunner, seen)
    prunner.proc.kill('SIGINT')
    await prunner.proc.exited
    corrupt += checkIntegrity(dir) ? 0 : 1
    orphans += countOrphans(run + 1)
    twice = countJobsRunTwice(dir)
  } finally {
    prunner?.proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }

  console.log(`jobs scheduled:       ${scheduled}`)
  console.log(`finished jobs seen:   ${seen.size}`)
  console.log(`finished jobs lost:   ${lost} (must be 0)`)
  console.log(`corrupt databases:    ${corrupt} (must be 0)`)
  console.log(`orphan processes:     ${orphans} (must be 0)`)
  console.log(`jobs run twice:       ${twice} (must be 0)`)
  return lost === 0 && corrupt === 0 && orphans === 0 && twice === 0 ? 0 : 1
}

async function start(dir: string, run: number): Promise<Prunner> {
  const proc = Bun.spawn(
    [process.execPath, '--no-env-file', MAIN, '--address', '127.0.0.1:0', '--disable-ansi'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        PRUNNER_JWT_SECRET: SECRET,
        [RUN_MARKER]: `${BENCH_ID}:${run}`,
      },
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
    },
  )
  const reader = (
    proc.stderr as ReadableStream<Uint8Array>
  ).getReader() as ReadableStreamDefaultReader<Uint8Array>
  const decoder = new TextDecoder()
  let text = ''
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) {
      break
    }

    text += decoder.decode(value, { stream: true })
    const match = text.match(/http api listening.*address=\S*:(\d+)/)
    if (match) {
      void drain(reader)
      return { proc, port: Number(match[1]) }
    }
  }
  throw new Error(`prunner run ${run} did not start:\n${text}`)
}

// Keeps reading stderr so prunner never blocks on a full pipe.
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done) {
      // Discarded: the benchmark judges the API and the database, not the log.
    }
  } catch {
    // The process was killed; nothing left to read.
  }
}

async function api(prunner: Prunner, path: string, init: RequestInit = {}): Promise<Response> {
  const token = signToken(SECRET, { sub: 'bench' })
  return await fetch(`http://127.0.0.1:${prunner.port}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}` },
  })
}

async function scheduleJobs(prunner: Prunner, count: number): Promise<number> {
  let accepted = 0
  for (let index = 0; index < count; index++) {
    const response = await api(prunner, '/pipelines/schedule', {
      method: 'POST',
      body: '{"pipeline":"work"}',
    })
    accepted += response.status === 202 ? 1 : 0
    await response.arrayBuffer()
  }
  return accepted
}

async function listJobs(prunner: Prunner): Promise<JobView[]> {
  const response = await api(prunner, '/pipelines/jobs')
  return ((await response.json()) as { jobs: JobView[] }).jobs
}

// What a client saw: every field that must not change once a job is finished.
function fingerprint(job: JobView): string {
  const tasks = job.tasks.map((task) => [task.name, task.status, task.exitCode])
  return JSON.stringify([job.completed, job.canceled, job.end, job.lastError ?? null, tasks])
}

async function remember(prunner: Prunner, seen: Map<string, string>): Promise<void> {
  for (const job of await listJobs(prunner)) {
    if (job.completed) {
      seen.set(job.id, fingerprint(job))
    }
  }
}

async function countLost(prunner: Prunner, seen: Map<string, string>): Promise<number> {
  const now = new Map((await listJobs(prunner)).map((job) => [job.id, fingerprint(job)]))
  let lost = 0
  for (const [id, print] of seen) {
    if (now.get(id) !== print) {
      console.log(`lost or changed: ${id}\n  was ${print}\n  now ${now.get(id) ?? 'missing'}`)
      lost++
    }
  }
  return lost
}

function checkIntegrity(dir: string): boolean {
  const db = new Database(join(dir, '.prunner', 'prunner.db'))
  try {
    const rows = db.query<{ integrity_check: string }, []>('PRAGMA integrity_check').all()
    return rows.length === 1 && rows[0]?.integrity_check === 'ok'
  } finally {
    db.close()
  }
}

function countJobsRunTwice(dir: string): number {
  let lines: string[]
  try {
    lines = readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean)
  } catch {
    return 0
  }

  return lines.length - new Set(lines).size
}

// A process whose environment carries an earlier run's marker is a task process (or a child of
// one) that outlived its prunner and was not killed at this start.
function countOrphans(currentRun: number): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue
    }

    let environ: string
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1')
      if (readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1]?.startsWith('Z')) {
        continue
      }
    } catch {
      continue
    }

    const prefix = `${RUN_MARKER}=${BENCH_ID}:`
    const marker = environ.split('\0').find((item) => item.startsWith(prefix))
    const run = marker === undefined ? undefined : Number(marker.slice(prefix.length))
    // The prunner of an earlier run is dead by now; only its tasks could remain.
    if (run !== undefined && run < currentRun) {
      console.log(`orphan: pid ${entry} from run ${run}`)
      count++
    }
  }
  return count
}

async function waitUntilIdle(prunner: Prunner): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const jobs = await listJobs(prunner)
    if (jobs.every((job) => job.completed || job.canceled)) {
      return
    }

    await Bun.sleep(100)
  }
  throw new Error('jobs did not finish within 120 s')
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

process.exit(await main())
