import type { Logger } from '../log/index.ts'
import type { JobState } from './job-types.ts'

/**
 * Durable job state (SPEC §9). Every write method runs in one transaction and throws
 * PrunnerError('STORE_FAILED') after rolling it back.
 */
export interface Store {
  /** True when this open created the database (missing, empty or moved-aside file; SPEC §9.7). */
  readonly isNew: boolean
  /** One transaction: insert the new job with its tasks and save each replaced job (SPEC §5.3 step 6). */
  insertJob(job: JobState, replaced: JobState[]): void
  /** One transaction: upsert the job row and all its task rows (delete rows of tasks no longer in the list). */
  saveJob(job: JobState): void
  /** One transaction for many jobs: restart recovery and the `data.json` import (SPEC §9.5, §9.7). */
  saveJobs(jobs: JobState[]): void
  /** Every job with its tasks, in acceptance order (seq ascending); tasks in stored position order. */
  loadJobs(): JobState[]
  /** One transaction: delete the job and its tasks. */
  deleteJob(id: string): void
  /** True until the one-time Go `data.json` import of a new database has run (SPEC §9.7). */
  isDataJsonImportPending(): boolean
  /** One transaction: write the imported jobs and mark the import done (also with no jobs). */
  importJobs(jobs: JobState[]): void
  /** One transaction: remember a task's process group, replacing an older record of that pgid. */
  recordTaskProcess(record: TaskProcessRecord): void
  /** One transaction: forget the record of group `pgid` (its task has ended). */
  forgetTaskProcess(pgid: number): void
  /** Every remembered task process group, left over from a previous run when read at startup. */
  loadTaskProcesses(): TaskProcessRecord[]
  /** One transaction: forget every task process group. */
  clearTaskProcesses(): void
  /** Releases the database and its lock; later calls do nothing. */
  close(): void
}

export interface OpenStoreOptions {
  dataDir: string
  logger: Logger
  /** How long to wait for another process to let go of the database; default 10000. */
  lockTimeoutMs?: number
}

/**
 * A task's process group as recorded when its shell started: enough to find the group after a
 * crash without ever hitting a process that merely reuses the number (src/lifecycle/orphans.ts).
 */
export interface TaskProcessRecord {
  /** The shell's pid, which is also its process group id. */
  pgid: number
  jobId: string
  task: string
  /** Field 22 of `/proc/<pgid>/stat`: start time in clock ticks since boot. */
  startTicks: number
  /** `/proc/sys/kernel/random/boot_id`: start times are only comparable within one boot. */
  bootId: string
}
