import type { JobState, TaskState, TaskStatus } from '../scheduler/index.ts'
import { isJobFinished } from '../scheduler/index.ts'
import { formatApiTimeOrNull } from '../shared/time.ts'
import { isTaskFinished, jobStatus } from './job-status.ts'
import type { EventType, JobEventData, TaskEventData } from './types.ts'

/** What the hub remembers of a job between two commits, to see what changed. */
export interface JobSnapshot {
  isStarted: boolean
  isFinished: boolean
  taskStatuses: Map<string, TaskStatus>
}

export interface JobChange {
  type: EventType
  data: JobEventData | TaskEventData
}

/**
 * The events between the last seen state of a job and its committed state now. The scheduler
 * reports whole jobs, not transitions, and may commit several task changes at once (a task that
 * starts and fails before the next commit), so each task is compared on its own.
 */
export function diffJob(
  previous: JobSnapshot | undefined,
  job: JobState,
): { changes: JobChange[]; next: JobSnapshot } {
  const next = snapshotJob(job)
  const changes: JobChange[] = []
  const add = (type: EventType, task?: TaskState) => {
    changes.push({ type, data: task ? taskEventData(job, task) : jobEventData(job) })
  }

  // A job first seen already finished was settled by restart recovery, not by a run.
  if (previous === undefined && next.isFinished) {
    add('job.finished')
    return { changes, next }
  }

  if (previous === undefined) {
    add('job.created')
  }

  if (next.isStarted && !previous?.isStarted) {
    add('job.started')
  }

  if (next.isStarted) {
    for (const task of job.tasks) {
      const before = previous?.taskStatuses.get(task.name) ?? 'waiting'
      addTaskChanges({ before, task, add })
    }
  }

  if (next.isFinished && !previous?.isFinished) {
    add('job.finished')
  }

  return { changes, next }
}

export function jobEventData(job: JobState): JobEventData {
  return {
    jobId: job.id,
    pipeline: job.pipeline,
    status: jobStatus(job),
    created: formatApiTimeOrNull(job.created) ?? '',
    start: formatApiTimeOrNull(job.start),
    end: formatApiTimeOrNull(job.end),
    ...(job.lastError ? { lastError: job.lastError } : {}),
  }
}

function snapshotJob(job: JobState): JobSnapshot {
  return {
    isStarted: job.start !== null,
    isFinished: isJobFinished(job),
    taskStatuses: new Map(job.tasks.map((task) => [task.name, task.status])),
  }
}

function addTaskChanges(options: {
  before: TaskStatus
  task: TaskState
  add: (type: EventType, task: TaskState) => void
}): void {
  const { before, task, add } = options
  if (isTaskFinished(before)) {
    return
  }

  // A task that started and ended between two commits still reports its start first.
  const hasStarted =
    task.status === 'running' || (isTaskFinished(task.status) && task.start !== null)
  if (before === 'waiting' && hasStarted) {
    add('task.started', task)
  }

  if (isTaskFinished(task.status)) {
    add('task.finished', task)
  }
}

function taskEventData(job: JobState, task: TaskState): TaskEventData {
  const hasDuration = isTaskFinished(task.status) && task.start !== null && task.end !== null
  return {
    ...jobEventData(job),
    task: {
      name: task.name,
      ...(task.dependsOn.length > 0 ? { dependsOn: [...task.dependsOn] } : {}),
      status: task.status,
      start: formatApiTimeOrNull(task.start),
      end: formatApiTimeOrNull(task.end),
      skipped: task.status === 'skipped',
      exitCode: task.exitCode,
      errored: task.errored,
      ...(task.error ? { error: task.error } : {}),
    },
    ...(hasDuration ? { durationMs: (task.end ?? 0) - (task.start ?? 0) } : {}),
  }
}
