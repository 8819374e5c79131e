import type { JobState, PipelineSnapshot, TaskState, TaskStatus } from './job-types.ts'

/** A `jobs` row as bun:sqlite returns it and as the statements bind it. */
export type JobRow = {
  id: string
  seq: number
  pipeline: string
  created_ms: number
  start_ms: number | null
  end_ms: number | null
  completed: number
  canceled: number
  last_error: string | null
  variables_json: string | null
  user_name: string
  queue_partition: string
  snapshot_json: string
}

export type TaskRow = {
  job_id: string
  position: number
  name: string
  depends_on_json: string
  status: string
  start_ms: number | null
  end_ms: number | null
  exit_code: number
  errored: number
  error: string | null
}

export function toJobRow(job: JobState): JobRow {
  return {
    id: job.id,
    seq: job.seq,
    pipeline: job.pipeline,
    created_ms: job.created,
    start_ms: job.start,
    end_ms: job.end,
    completed: job.completed ? 1 : 0,
    canceled: job.canceled ? 1 : 0,
    last_error: job.lastError ?? null,
    variables_json: job.variables === undefined ? null : JSON.stringify(job.variables),
    user_name: job.user,
    queue_partition: job.partition,
    snapshot_json: JSON.stringify(job.snapshot),
  }
}

/** The columns of a job that change after it is accepted; the rest is written once. */
export type JobStateRow = {
  id: string
  start_ms: number | null
  end_ms: number | null
  completed: number
  canceled: number
  last_error: string | null
}

export function toJobStateRow(job: JobState): JobStateRow {
  return {
    id: job.id,
    start_ms: job.start,
    end_ms: job.end,
    completed: job.completed ? 1 : 0,
    canceled: job.canceled ? 1 : 0,
    last_error: job.lastError ?? null,
  }
}

export function toTaskRow(jobId: string, task: TaskState, position: number): TaskRow {
  return {
    job_id: jobId,
    position,
    name: task.name,
    depends_on_json: JSON.stringify(task.dependsOn),
    status: task.status,
    start_ms: task.start,
    end_ms: task.end,
    exit_code: task.exitCode,
    errored: task.errored ? 1 : 0,
    error: task.error ?? null,
  }
}

/** Optional fields are added only when stored, so an absent field stays absent after a load. */
export function fromJobRow(row: JobRow, tasks: TaskState[]): JobState {
  const job: JobState = {
    id: row.id,
    pipeline: row.pipeline,
    seq: row.seq,
    created: row.created_ms,
    start: row.start_ms,
    end: row.end_ms,
    completed: row.completed !== 0,
    canceled: row.canceled !== 0,
    user: row.user_name,
    partition: row.queue_partition,
    snapshot: JSON.parse(row.snapshot_json) as PipelineSnapshot,
    tasks,
  }
  if (row.last_error !== null) {
    job.lastError = row.last_error
  }

  if (row.variables_json !== null) {
    job.variables = JSON.parse(row.variables_json) as Record<string, unknown>
  }

  return job
}

export function fromTaskRow(row: TaskRow): TaskState {
  const task: TaskState = {
    name: row.name,
    dependsOn: JSON.parse(row.depends_on_json) as string[],
    status: row.status as TaskStatus,
    start: row.start_ms,
    end: row.end_ms,
    exitCode: row.exit_code,
    errored: row.errored !== 0,
  }
  if (row.error !== null) {
    task.error = row.error
  }

  return task
}
