// One command for every benchmark: `bun bench/run.ts` (add `--binary path/to/prunner` to measure
// a prebuilt binary, `--quick` for a smoke run). Prints a Markdown table; each prunner figure
// sits beside a baseline measured in the same run on the same machine, and their ratio.
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildBinaries } from './suite/binaries.ts'
import { checkClock } from './suite/clock-script.ts'
import { type BenchPrunner, startPrunner } from './suite/prunner.ts'
import {
  dependencyDelay,
  idleRss,
  listLatency,
  type Result,
  scheduleLatency,
  seedJobs,
  startupTime,
  throughput,
} from './suite/scenarios.ts'
import { startServer } from './suite/servers.ts'

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { binary: { type: 'string' }, quick: { type: 'boolean', default: false } },
})
const sizes = values.quick
  ? { runs: 3, jobs: 100, retained: 500, requests: 5 }
  : { runs: 20, jobs: 1000, retained: 10_000, requests: 30 }

const workDir = mkdtempSync(join(tmpdir(), 'prunner-bench-'))
const started: { stop(): Promise<number> }[] = []
try {
  await checkClock()
  console.error('building binaries ...')
  const binaries = await buildBinaries(workDir, values.binary)
  let fresh = 0
  const newPrunner = (): Promise<BenchPrunner> =>
    startPrunner(binaries.prunner, join(workDir, `prunner-${fresh++}`))

  const results: Result[] = []
  const step = async (what: string, run: () => Promise<Result | Result[]>) => {
    console.error(`${what} ...`)
    results.push(...[await run()].flat())
  }

  await step('start-up', () =>
    startupTime({
      startPrunner: newPrunner,
      emptyServer: binaries.emptyServer,
      dir: workDir,
      runs: 10,
    }),
  )
  const prunner = await newPrunner()
  const empty = await startServer({ cmd: [binaries.emptyServer, '127.0.0.1:{port}'], cwd: workDir })
  started.push(prunner, empty)

  await step('idle memory', () => idleRss(prunner, empty))
  await step('schedule latency', () => scheduleLatency(prunner, sizes.runs))
  await step('dependency delay', () => dependencyDelay(prunner, sizes.runs))
  await step('throughput', () => throughput(prunner, sizes.jobs))
  console.error(`retaining ${sizes.retained} jobs ...`)
  await seedJobs(prunner, sizes.retained)
  await step('job list latency', () =>
    listLatency(prunner, empty, { requests: sizes.requests, jobs: sizes.retained }),
  )

  console.log(formatTable(results))
} finally {
  for (const server of started) {
    await server.stop()
  }
  rmSync(workDir, { recursive: true, force: true })
}

function formatTable(results: readonly Result[]): string {
  const machine = `${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`
  const lines = [
    `prunner benchmarks: ${process.platform}-${process.arch}, ${machine}, Bun ${Bun.version}`,
    '',
    '| Benchmark | prunner | Baseline | Ratio |',
    '| --- | ---: | ---: | ---: |',
  ]
  for (const result of results) {
    const ratio = figure(result.prunner / result.baseline, '').trim()
    lines.push(
      `| ${result.name} | ${figure(result.prunner, result.unit)} | ` +
        `${figure(result.baseline, result.unit)} (${result.baselineName}) | ${ratio}× |`,
    )
  }
  return lines.join('\n')
}

// Three significant digits, without switching to exponent notation for large values.
function figure(value: number, unit: string): string {
  const text = value >= 1000 ? value.toFixed(0) : value.toPrecision(3)
  return `${text} ${unit}`
}
