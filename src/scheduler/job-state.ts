import type { PipelineDefinition } from '../definition/index.ts'
import type { JobState, PipelineSnapshot } from '../store/index.ts'
import type { ScheduleRequest } from './api.ts'

const INTERRUPTED = 'interrupted: prunner stopped while the job was running'

/** A new, not yet started job with the pipeline's snapshot (SPEC §5.2). */
export function createJob(options: {
  definition: PipelineDefinition
  request: ScheduleRequest
  id: string
  seq: number
  now: number
}): JobState {
  const { definition, request } = options
  const snapshot: PipelineSnapshot = {
    tasks: structuredClone(definition.tasks),
    env: { ...definition.env },
    startDelayMs: definition.startDelayMs,
    continueRunningTasksAfterFailure: definition.continueRunningTasksAfterFailure,
  }
  if (definition.shell !== undefined) {
    snapshot.shell = definition.shell
  }
  if (definition.onError !== undefined) {
    snapshot.onError = structuredClone(definition.onError)
  }

  const job: JobState = {
    id: options.id,
    pipeline: definition.name,
    seq: options.seq,
    created: options.now,
    start: null,
    end: null,
    completed: false,
    canceled: false,
    user: request.user,
    partition: request.partition,
    snapshot,
    tasks: definition.tasks.map((task) => ({
      name: task.name,
      dependsOn: [...task.dependsOn],
      status: 'waiting',
      start: null,
      end: null,
      exitCode: 0,
      errored: false,
    })),
  }
  if (request.variables !== undefined && Object.keys(request.variables).length > 0) {
    job.variables = request.variables
  }
  return job
}

/** A copy of a queued job as it is after a cancel, replacement or pipeline removal. */
export function cancelQueuedCopy(job: JobState, lastError: string): JobState {
  return {
    ...job,
    canceled: true,
    lastError,
    tasks: job.tasks.map((task) => ({ ...task, status: 'canceled' })),
  }
}

/** Restart recovery of a job that was running when prunner stopped (SPEC §9.5). */
export function interruptRunningJob(job: JobState, now: number): void {
  job.canceled = true
  job.completed = true
  job.end = now
  job.lastError ??= INTERRUPTED
  for (const task of job.tasks) {
    if (task.status === 'running') {
      task.status = 'canceled'
      task.end = now
      task.exitCode = -1
    } else if (task.status === 'waiting') {
      task.status = 'canceled'
    }
  }
}
