import type { HandlerDefinition, TaskDefinition } from '../definition/index.ts'

/** The part of a pipeline's definition a job copies when it is accepted (SPEC §5.2). */
export interface PipelineSnapshot {
  tasks: TaskDefinition[]
  env: Record<string, string>
  shell?: string
  startDelayMs: number
  continueRunningTasksAfterFailure: boolean
  onError?: HandlerDefinition
}

export type TaskStatus = 'waiting' | 'running' | 'done' | 'error' | 'canceled' | 'skipped'

/** Times are epoch milliseconds; the API truncates them to seconds. */
export interface TaskState {
  name: string
  dependsOn: string[]
  status: TaskStatus
  start: number | null
  end: number | null
  exitCode: number
  errored: boolean
  error?: string
}

export interface JobState {
  /** Lowercase UUIDv4. */
  id: string
  pipeline: string
  /** Acceptance sequence number: breaks ties between equal `created` times. */
  seq: number
  created: number
  start: number | null
  end: number | null
  completed: boolean
  canceled: boolean
  lastError?: string
  /** Request variables as received (undefined when absent or empty). */
  variables?: Record<string, unknown>
  user: string
  partition: string
  snapshot: PipelineSnapshot
  /** Task order (SPEC §5.8), the `on_error` handler appended once it starts. */
  tasks: TaskState[]
}

/** A job that will not change any more (SPEC §1): completed, or canceled before it started. */
export function isJobFinished(job: Pick<JobState, 'completed' | 'canceled' | 'start'>): boolean {
  return job.completed || (job.canceled && job.start === null)
}
