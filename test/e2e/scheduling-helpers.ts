import { expect } from 'bun:test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PrunnerProcess } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

/** The parts of `/job/detail` the scheduling tests look at. */
export interface JobJson {
  id: string
  pipeline: string
  completed: boolean
  canceled: boolean
  created: string
  start: string | null
  end: string | null
  lastError?: string
  tasks: {
    name: string
    status: string
    exitCode: number
    start: string | null
    end: string | null
  }[]
}

export interface PipelineFlags {
  pipeline: string
  schedulable: boolean
  running: boolean
}

/**
 * One pipeline whose single task records its job id in `order` (start order), then holds its
 * slot until the test writes `release-<jobId>` or `release-all` into prunner's working directory.
 * It also ends once that directory is removed, so a failed test leaves no shell behind.
 * `settings` are extra pipeline keys as YAML lines.
 */
export function gatePipeline(name: string, settings: string[] = []): string {
  return [
    `  ${name}:`,
    ...settings.map((line) => `    ${line}`),
    '    tasks:',
    '      gate:',
    '        script:',
    `          - 'echo {{ .__jobID }} >> order-${name}'`,
    `          - 'while [ ! -f release-{{ .__jobID }} ] && [ ! -f release-all ] && [ -f pipelines.yml ]; do sleep 0.05; done'`,
  ].join('\n')
}

export function pipelinesFile(...pipelines: string[]): string {
  return `pipelines:\n${pipelines.join('\n')}\n`
}

export async function schedule(
  prunner: PrunnerProcess,
  pipeline: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; body: { jobId?: string; error?: string } }> {
  return await prunner.json('POST', '/pipelines/schedule', { pipeline, ...extra })
}

/** Schedules a job that must be accepted; returns its id. */
export async function scheduleOk(
  prunner: PrunnerProcess,
  pipeline: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { status, body } = await schedule(prunner, pipeline, extra)
  expect({ status, error: body.error }).toEqual({ status: 202, error: undefined })
  return String(body.jobId)
}

export async function detail(prunner: PrunnerProcess, id: string): Promise<JobJson> {
  const { status, body } = await prunner.json<JobJson>('GET', `/job/detail?id=${id}`)
  expect(status).toBe(200)
  return body
}

export async function cancel(
  prunner: PrunnerProcess,
  id: string,
): Promise<{ status: number; body: unknown }> {
  return await prunner.json('POST', `/job/cancel?id=${id}`)
}

/**
 * Waits until job `id` has started; for a gate pipeline also until its task has recorded itself
 * in the start order, which its shell does a moment after the job starts.
 */
export async function waitStarted(prunner: PrunnerProcess, id: string): Promise<JobJson> {
  return await waitFor(
    async () => {
      const job = await detail(prunner, id)
      if (job.start === null) {
        return undefined
      }

      const isGate = job.tasks[0]?.name === 'gate'
      return !isGate || startOrder(prunner, job.pipeline).includes(id) ? job : undefined
    },
    { what: `job ${id} to start` },
  )
}

export async function waitCompleted(
  prunner: PrunnerProcess,
  id: string,
  timeoutMs = 15_000,
): Promise<JobJson> {
  return await waitFor(
    async () => {
      const job = await detail(prunner, id)
      return job.completed ? job : undefined
    },
    { what: `job ${id} to complete`, timeoutMs },
  )
}

/** Lets the gate task of job `id` (or of every job, with `all`) finish. */
export function release(prunner: PrunnerProcess, id: string | 'all'): void {
  writeFileSync(join(prunner.dir, `release-${id}`), '')
}

/** Job ids in the order their gate task started, as the tasks themselves recorded it. */
export function startOrder(prunner: PrunnerProcess, pipeline: string): string[] {
  const file = join(prunner.dir, `order-${pipeline}`)
  if (!existsSync(file)) {
    return []
  }

  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}

export async function flags(prunner: PrunnerProcess, pipeline: string): Promise<PipelineFlags> {
  const { body } = await prunner.json<{ pipelines: PipelineFlags[] }>('GET', '/pipelines')
  const found = body.pipelines.find((candidate) => candidate.pipeline === pipeline)
  if (found === undefined) {
    throw new Error(`pipeline ${pipeline} is not listed`)
  }

  return found
}

/** Asserts, polling until `untilMs` (epoch), that the job never starts before that time. */
export async function expectNotStartedUntil(
  prunner: PrunnerProcess,
  id: string,
  untilMs: number,
): Promise<void> {
  while (Date.now() < untilMs) {
    const job = await detail(prunner, id)
    expect({ id, start: job.start }).toEqual({ id, start: null })
    await Bun.sleep(25)
  }
}

/**
 * For a concurrency-1 pipeline: releases each job as soon as its gate task starts, checking that
 * no second job started meanwhile, until `count` jobs have run. Returns the start order. `from`
 * skips jobs of the order file that already finished (e.g. before a restart).
 */
export async function runOneByOne(
  prunner: PrunnerProcess,
  pipeline: string,
  count: number,
  from = 0,
): Promise<string[]> {
  for (let index = from; index < count; index++) {
    const order = await waitFor(
      () => {
        const current = startOrder(prunner, pipeline)
        return current.length > index ? current : undefined
      },
      { what: `job number ${index + 1} of ${pipeline} to start` },
    )
    expect(order.length).toBe(index + 1)
    release(prunner, String(order[index]))
  }
  return startOrder(prunner, pipeline)
}

/**
 * Lets every gate task finish and waits until no job is running, so no task shell outlives the
 * test (the temp directory, and with it the release files, is removed afterwards).
 */
export async function releaseAllAndSettle(prunner: PrunnerProcess): Promise<void> {
  if (prunner.proc.exitCode !== null) {
    return
  }

  release(prunner, 'all')
  await waitFor(
    async () => {
      const { body } = await prunner.json<{ jobs: JobJson[] }>('GET', '/pipelines/jobs')
      return body.jobs.every((job) => job.start === null || job.completed)
    },
    { what: 'every running job to finish' },
  )
}
