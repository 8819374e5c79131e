import type { JobState } from '../store/index.ts'

/** What a schedule request asks for, after the server has parsed the body and the token. */
export interface ScheduleRequest {
  pipeline: string
  /** undefined when absent, null or empty. */
  variables?: Record<string, unknown>
  /** `queuePartition`; '' when missing or null. */
  partition: string
  /** The token's `sub` when it is a string, else ''. */
  user: string
}

export interface PipelineInfo {
  pipeline: string
  schedulable: boolean
  running: boolean
}

/**
 * The scheduler as the HTTP layer sees it. Methods throw PrunnerError:
 * schedule: PIPELINE_NOT_FOUND / SCHEDULE_REJECTED (message = reason after
 * `Error scheduling pipeline: `), SHUTTING_DOWN, STORE_FAILED;
 * cancel: JOB_NOT_FOUND, CANCEL_FAILED.
 */
export interface SchedulerApi {
  /** Every defined pipeline, sorted by name. */
  listPipelines(): PipelineInfo[]
  /** Every stored job, newest `created` first, ties by acceptance order (later first). */
  listJobs(): JobState[]
  /** `id` is already canonical (lowercase, hyphenated). */
  getJob(id: string): JobState | undefined
  schedule(request: ScheduleRequest): Promise<{ jobId: string }>
  /** Resolves once the cancel is recorded (not when the processes are gone). */
  cancel(id: string): Promise<void>
  /** Absolute paths of a task's two log files (they may not exist yet). */
  logFiles(jobId: string, task: string): { stdout: string; stderr: string }
  isShuttingDown(): boolean
  /** For `/debug/vars`. */
  counts(): { running: number; queued: number }
}
