import type { Logger } from '../log/index.ts'
import type { JobState } from '../scheduler/types.ts'

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
  /** Releases the database and its lock; later calls do nothing. */
  close(): void
}

export interface OpenStoreOptions {
  dataDir: string
  logger: Logger
  /** How long to wait for another process to let go of the database; default 10000. */
  lockTimeoutMs?: number
}
