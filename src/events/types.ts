import type { TaskStatus } from '../scheduler/index.ts'
import type { JobStatus } from './job-status.ts'

export type EventType =
  | 'job.created'
  | 'job.queued'
  | 'job.started'
  | 'task.started'
  | 'task.finished'
  | 'job.finished'

export const EVENT_TYPES: readonly EventType[] = [
  'job.created',
  'job.queued',
  'job.started',
  'task.started',
  'task.finished',
  'job.finished',
]

/** The job part of every event; times are API times (SPEC §1). */
export interface JobEventData {
  jobId: string
  pipeline: string
  status: JobStatus
  created: string
  start: string | null
  end: string | null
  lastError?: string
}

/** Task events add the task as `GET /job/detail` shows it. */
export interface TaskEventData extends JobEventData {
  /** The task as `/job/detail` shows it (SPEC §8.4). */
  task: {
    name: string
    dependsOn?: string[]
    status: TaskStatus
    start: string | null
    end: string | null
    skipped: boolean
    exitCode: number
    errored: boolean
    error?: string
  }
  /** Milliseconds between start and end, for finished tasks that ran. */
  durationMs?: number
}

export interface PrunnerEvent {
  /** `<boot>-<seq>`: the boot part tells ids of an earlier prunner process apart. */
  id: string
  seq: number
  type: EventType
  data: JobEventData | TaskEventData
}
