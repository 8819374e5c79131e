import type { JobState, TaskStatus } from '../scheduler/index.ts'

/** One word for where a job is in its life; the wire format spreads it over several flags. */
export type JobStatus = 'queued' | 'running' | 'done' | 'error' | 'canceled'

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'error', 'canceled']

export function jobStatus(job: JobState): JobStatus {
  if (job.canceled) {
    return 'canceled'
  }

  if (job.completed) {
    return job.tasks.some((task) => task.errored) ? 'error' : 'done'
  }

  return job.start === null ? 'queued' : 'running'
}

export function isTaskFinished(status: TaskStatus): boolean {
  return status !== 'waiting' && status !== 'running'
}
