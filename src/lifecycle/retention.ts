import { rmSync } from 'node:fs'
import type { PipelineDefinition } from '../definition/index.ts'
import type { Logger } from '../log/index.ts'
import type { JobState, Scheduler } from '../scheduler/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { jobLogDir } from '../store/index.ts'

/** SPEC §9.6: a pass at startup, every 60 s, after every completion and after every reload. */
export const RETENTION_INTERVAL_MS = 60_000

export type RemovalReason = 'pipeline removed' | 'retention period' | 'retention count'

/**
 * The finished jobs retention removes, with the first rule that applies (SPEC §9.6). `jobs` must
 * be newest `created` first, as `Scheduler.listJobs()` returns them; the count index includes
 * running and queued jobs, which are never removed themselves.
 */
export function selectRemovals(options: {
  jobs: readonly JobState[]
  definitions: ReadonlyMap<string, PipelineDefinition>
  nowMs: number
}): { job: JobState; reason: RemovalReason }[] {
  const { definitions, nowMs } = options
  const indexByPipeline = new Map<string, number>()
  const removals: { job: JobState; reason: RemovalReason }[] = []
  for (const job of options.jobs) {
    const index = indexByPipeline.get(job.pipeline) ?? 0
    indexByPipeline.set(job.pipeline, index + 1)
    if (!isFinished(job)) {
      continue
    }

    const reason = removalReason(job, index, definitions.get(job.pipeline), nowMs)
    if (reason !== undefined) {
      removals.push({ job, reason })
    }
  }
  return removals
}

export interface Retention {
  /** Asks for a pass soon; requests before it runs are merged into it. */
  request(): void
  /** One pass now; returns the number of removed jobs. */
  runNow(): number
  stop(): void
}

/** Runs retention passes on a timer and on request, never two at once. */
export function startRetention(options: {
  scheduler: Pick<Scheduler, 'listJobs' | 'removeJob'>
  definitions: () => ReadonlyMap<string, PipelineDefinition>
  dataDir: string
  logger: Logger
  now?: () => number
  intervalMs?: number
}): Retention {
  const now = options.now ?? Date.now
  let pending: ReturnType<typeof setTimeout> | undefined
  const runNow = (): number =>
    runRetentionPass({ ...options, definitions: options.definitions(), nowMs: now() })
  const request = (): void => {
    // A zero timeout lets a burst of completions share one pass and keeps the pass out of the
    // scheduler's completion call stack.
    pending ??= setTimeout(() => {
      pending = undefined
      runNow()
    }, 0)
  }
  const interval = setInterval(request, options.intervalMs ?? RETENTION_INTERVAL_MS)
  return {
    request,
    runNow,
    stop: () => {
      clearInterval(interval)
      clearTimeout(pending)
      pending = undefined
    },
  }
}

/** Removes what `selectRemovals` names: store and memory first, then the log directory. */
export function runRetentionPass(options: {
  scheduler: Pick<Scheduler, 'listJobs' | 'removeJob'>
  definitions: ReadonlyMap<string, PipelineDefinition>
  dataDir: string
  logger: Logger
  nowMs: number
}): number {
  const { scheduler, logger } = options
  const removals = selectRemovals({ ...options, jobs: scheduler.listJobs() })
  let removed = 0
  for (const { job, reason } of removals) {
    try {
      if (!scheduler.removeJob(job.id)) {
        continue
      }
    } catch (error) {
      // The store has logged the failure; the job stays and the next pass tries again.
      logger.debug('removing job failed', { jobId: job.id, error: errorMessage(error) })
      continue
    }

    removed++
    logger.info('job removed', { jobId: job.id, pipeline: job.pipeline, reason })
    removeLogDir(jobLogDir(options.dataDir, job.id), logger)
  }
  return removed
}

function removalReason(
  job: JobState,
  index: number,
  definition: PipelineDefinition | undefined,
  nowMs: number,
): RemovalReason | undefined {
  if (definition === undefined) {
    return 'pipeline removed'
  }

  if (definition.retentionPeriodMs > 0 && nowMs - job.created > definition.retentionPeriodMs) {
    return 'retention period'
  }

  if (definition.retentionCount > 0 && index >= definition.retentionCount) {
    return 'retention count'
  }

  return undefined
}

// Same rule as Scheduler.removeJob: completed, or canceled before it ever started.
function isFinished(job: JobState): boolean {
  return job.completed || (job.canceled && job.start === null)
}

function removeLogDir(dir: string, logger: Logger): void {
  try {
    rmSync(dir, { recursive: true, force: true })
  } catch (error) {
    logger.error('removing job logs failed', { dir, error: errorMessage(error) })
  }
}
