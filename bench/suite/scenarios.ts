import { join } from 'node:path'
import { markLine, readMark } from './clock-script.ts'
import type { BenchPrunner } from './prunner.ts'
import { type RunningServer, rssMiB, startServer } from './servers.ts'
import { median, nowMs, percentile } from './stats.ts'

/** One line of the result table: prunner's figure and its baseline, measured in the same run. */
export interface Result {
  name: string
  unit: string
  prunner: number
  baseline: number
  baselineName: string
}

// The shell prunner picks by default (SPEC §6.1), so both sides start the same program.
const SHELL = Bun.which('bash') ?? '/bin/sh'

/** Schedule request sent → first line of the job's only task running. */
export async function scheduleLatency(prunner: BenchPrunner, runs: number): Promise<Result> {
  const measured: number[] = []
  const baseline: number[] = []
  for (let n = 0; n < runs; n++) {
    const sentAt = nowMs()
    await prunner.schedule('first', { n })
    measured.push((await readMark(join(prunner.dir, `marks/first-${n}`))) - sentAt)
    await prunner.waitIdle()

    const file = join(prunner.dir, `marks/raw-first-${n}`)
    const spawnedAt = nowMs()
    await Bun.spawn([SHELL, '-c', markLine(file)]).exited
    baseline.push((await readMark(file)) - spawnedAt)
  }
  return {
    name: `schedule → first task starts (median of ${runs})`,
    unit: 'ms',
    prunner: median(measured),
    baseline: median(baseline),
    baselineName: 'Bun.spawn of the shell',
  }
}

/** Last line of a task → first line of the task that depends on it. */
export async function dependencyDelay(prunner: BenchPrunner, runs: number): Promise<Result> {
  const measured: number[] = []
  const baseline: number[] = []
  for (let n = 0; n < runs; n++) {
    await prunner.schedule('chain', { n })
    const bStart = await readMark(join(prunner.dir, `marks/b-${n}`))
    measured.push(bStart - (await readMark(join(prunner.dir, `marks/a-${n}`))))
    await prunner.waitIdle()

    // The baseline is the least any runner must do: wait for one shell to exit, spawn the next.
    const [a, b] = ['a', 'b'].map((name) => join(prunner.dir, `marks/raw-${name}-${n}`))
    await Bun.spawn([SHELL, '-c', markLine(a ?? '')]).exited
    await Bun.spawn([SHELL, '-c', markLine(b ?? '')]).exited
    baseline.push((await readMark(b ?? '')) - (await readMark(a ?? '')))
  }
  return {
    name: `task end → dependent task starts (median of ${runs})`,
    unit: 'ms',
    prunner: median(measured),
    baseline: median(baseline),
    baselineName: 'exit, then Bun.spawn',
  }
}

/** Jobs per second for `jobs` one-task jobs, 50 at a time. */
export async function throughput(prunner: BenchPrunner, jobs: number): Promise<Result> {
  const startedAt = nowMs()
  await inParallel(jobs, 50, () => prunner.schedule('many').then(() => undefined))
  await prunner.waitIdle()
  const prunnerRate = jobs / ((nowMs() - startedAt) / 1000)

  const rawStartedAt = nowMs()
  await inParallel(jobs, 50, async () => {
    await Bun.spawn([SHELL, '-c', 'true']).exited
  })
  const rawRate = jobs / ((nowMs() - rawStartedAt) / 1000)
  return {
    name: `jobs/s, ${jobs} one-task jobs at concurrency 50`,
    unit: 'jobs/s',
    prunner: prunnerRate,
    baseline: rawRate,
    baselineName: 'Bun.spawn, 50 at a time',
  }
}

/** Fills prunner up to `total` retained jobs without timing it. */
export async function seedJobs(prunner: BenchPrunner, total: number): Promise<void> {
  await inParallel(Math.max(0, total - (await countJobs(prunner))), 50, async () => {
    await prunner.schedule('many')
  })
  await prunner.waitIdle(600_000)

  // A retention rule or a lost job would make the list benchmark measure a smaller answer.
  const retained = await countJobs(prunner)
  if (retained !== total) {
    throw new Error(`expected ${total} retained jobs, GET /pipelines/jobs lists ${retained}`)
  }
}

async function countJobs(prunner: BenchPrunner): Promise<number> {
  const response = await prunner.get('/pipelines/jobs')
  return ((await response.json()) as { jobs: unknown[] }).jobs.length
}

/** `GET /pipelines/jobs` with every retained job, sequential requests. */
export async function listLatency(
  prunner: BenchPrunner,
  empty: RunningServer,
  options: { requests: number; jobs: number },
): Promise<Result[]> {
  const measured = await timeRequests(() => prunner.get('/pipelines/jobs'), options.requests)
  const baseline = await timeRequests(() => fetch(empty.url('/')), options.requests)
  const what = `GET /pipelines/jobs, ${options.jobs} jobs`
  const baselineName = 'empty Bun HTTP server'
  return [
    {
      name: `${what} (median)`,
      unit: 'ms',
      prunner: median(measured),
      baseline: median(baseline),
      baselineName,
    },
    {
      name: `${what} (p95)`,
      unit: 'ms',
      prunner: percentile(measured, 0.95),
      baseline: percentile(baseline, 0.95),
      baselineName,
    },
  ]
}

/** Resident memory after start-up with nothing to do. */
export async function idleRss(prunner: BenchPrunner, empty: RunningServer): Promise<Result> {
  // Give both a moment to settle after start-up (lazy imports, JIT) before reading.
  await Bun.sleep(2000)
  return {
    name: 'idle RSS',
    unit: 'MiB',
    prunner: await rssMiB(prunner.proc.pid),
    baseline: await rssMiB(empty.proc.pid),
    baselineName: 'empty Bun HTTP server',
  }
}

/** Process spawn → TCP connect succeeds, for the compiled binaries. */
export async function startupTime(options: {
  startPrunner: () => Promise<BenchPrunner>
  emptyServer: string
  dir: string
  runs: number
}): Promise<Result> {
  const measured: number[] = []
  const baseline: number[] = []
  for (let run = 0; run < options.runs; run++) {
    const prunner = await options.startPrunner()
    measured.push(prunner.startupMs)
    await prunner.stop()

    const empty = await startServer({
      cmd: [options.emptyServer, '127.0.0.1:{port}'],
      cwd: options.dir,
    })
    baseline.push(empty.startupMs)
    await empty.stop()
  }
  return {
    name: `start-up to listening socket (median of ${options.runs})`,
    unit: 'ms',
    prunner: median(measured),
    baseline: median(baseline),
    baselineName: 'empty Bun HTTP server',
  }
}

async function timeRequests(request: () => Promise<Response>, count: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const sentAt = nowMs()
    const response = await request()
    await response.arrayBuffer()
    times.push(nowMs() - sentAt)
  }
  return times
}

async function inParallel(count: number, width: number, work: () => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      await work()
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker))
}
