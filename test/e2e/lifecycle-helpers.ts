import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readProcStat } from '../../src/lifecycle/index.ts'
import type { PrunnerProcess } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

/** The parts of `/job/detail` the lifecycle tests look at. */
export interface JobJson {
  id: string
  pipeline: string
  completed: boolean
  canceled: boolean
  start: string | null
  end: string | null
  lastError?: string
  tasks: { name: string; status: string; exitCode: number; end: string | null }[]
}

/** Schedules a job and returns its id; fails the test on any other answer than 202. */
export async function scheduleJob(
  prunner: PrunnerProcess,
  pipeline: string,
  variables?: Record<string, unknown>,
): Promise<string> {
  const { status, body } = await prunner.json<{ jobId?: string; error?: string }>(
    'POST',
    '/pipelines/schedule',
    { pipeline, variables },
  )
  if (status !== 202 || body.jobId === undefined) {
    throw new Error(`scheduling ${pipeline} answered ${status}: ${JSON.stringify(body)}`)
  }

  return body.jobId
}

export async function getJob(prunner: PrunnerProcess, id: string): Promise<JobJson> {
  const { status, body } = await prunner.json<JobJson>('GET', `/job/detail?id=${id}`)
  if (status !== 200) {
    throw new Error(`job ${id}: status ${status}`)
  }

  return body
}

export async function waitForJob(
  prunner: PrunnerProcess,
  id: string,
  isReady: (job: JobJson) => boolean,
  what = `job ${id}`,
): Promise<JobJson> {
  return await waitFor(
    async () => {
      const job = await getJob(prunner, id)
      return isReady(job) ? job : undefined
    },
    { what },
  )
}

/** Pids a task script appended to `<dir>/<file>` (one per line), once `count` are there. */
export async function readPids(dir: string, file: string, count: number): Promise<number[]> {
  return await waitFor(
    () => {
      const path = join(dir, file)
      if (!existsSync(path)) {
        return undefined
      }

      const pids = readFileSync(path, 'utf8').split('\n').filter(Boolean).map(Number)
      return pids.length >= count ? pids : undefined
    },
    { what: `${count} pids in ${file}` },
  )
}

/** A process counts as alive until it has exited; a zombie has exited. */
export function isAlive(pid: number): boolean {
  const stat = readProcStat(pid)
  return stat !== undefined && stat.state !== 'Z'
}

/** Kills test leftovers by pid so a failed assertion does not leave sleeps behind. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone: the normal case when the test passed.
    }
  }
}

/** Whether one log line contains every part (logfmt sorts fields by name, so match pieces). */
export function logHas(prunner: PrunnerProcess, ...parts: string[]): boolean {
  return prunner.logLines.some((line) => parts.every((part) => line.includes(part)))
}
