import type { PipelineDefinition } from '../definition/index.ts'
import type { Logger } from '../log/index.ts'
import { PrunnerError } from '../shared/errors.ts'
import {
  isJobFinished,
  type JobState,
  type Store,
  type TaskState,
  taskLogPaths,
} from '../store/index.ts'
import { decideAdmission, isSchedulable } from './admission.ts'
import type { PipelineInfo, ScheduleRequest, SchedulerApi } from './api.ts'
import { CommitQueue } from './commit-queue.ts'
import { JobRun } from './job-run.ts'
import { cancelQueuedCopy, createJob, interruptRunningJob } from './job-state.ts'
import { WaitLists } from './wait-lists.ts'

/** Optional observers of the scheduler, for lifecycle features and live events. */
export interface SchedulerHooks {
  /** A job (or one of its tasks) changed and the change was committed. */
  onJobChanged?: (job: JobState) => void
  /** A job reached `completed: true`; wait-list processing has already run. */
  onJobCompleted?: (job: JobState) => void
  onTaskSpawned?: (job: JobState, task: TaskState, pid: number) => void
  onTaskExited?: (job: JobState, task: TaskState) => void
}

export interface SchedulerOptions {
  store: Pick<Store, 'insertJob' | 'saveJob' | 'saveJobs' | 'deleteJob'>
  hooks?: SchedulerHooks
  logger: Logger
  dataDir: string
  /** Working directory of every script line. */
  cwd: string
  defaultShell: string | undefined
  definitions: ReadonlyMap<string, PipelineDefinition>
  now?: () => number
  killGraceMs?: number
  /** The environment tasks inherit; defaults to prunner's own without PRUNNER_JWT_SECRET. */
  baseEnv?: () => Record<string, string>
}

export type ShutdownMode = 'graceful' | 'forced'

const SHUTDOWN_CANCEL_REASON = 'job canceled: prunner is shutting down'

/**
 * Admission, wait lists, job starts, cancels and completions (SPEC §5). All state changes run
 * synchronously on the event loop, so no two admissions can see the same free slot.
 */
export class Scheduler implements SchedulerApi {
  readonly #options: SchedulerOptions
  readonly #logger: Logger
  readonly #now: () => number
  readonly #jobs = new Map<string, JobState>()
  #newestFirst: JobState[] | undefined
  readonly #waitLists: WaitLists
  readonly #runs = new Map<string, JobRun>()
  #definitions: ReadonlyMap<string, PipelineDefinition>
  #lastSeq = 0
  readonly #commits: CommitQueue
  #shutdownMode: ShutdownMode | undefined
  #idleWaiters: (() => void)[] = []

  constructor(options: SchedulerOptions) {
    this.#options = options
    this.#logger = options.logger.child({ component: 'scheduler' })
    this.#now = options.now ?? Date.now
    this.#definitions = options.definitions
    this.#waitLists = new WaitLists({
      now: this.#now,
      onDelayElapsed: (pipeline) => this.#processWaitList(pipeline),
    })
    this.#commits = new CommitQueue({
      save: (jobs) => options.store.saveJobs(jobs),
      onCommitted: (job) => options.hooks?.onJobChanged?.(job),
      onRecovered: () => this.processAllWaitLists(),
    })
  }

  /** Restart recovery (SPEC §9.5) over the stored jobs, given in acceptance order. */
  restore(jobs: JobState[]): void {
    for (const job of jobs) {
      this.#jobs.set(job.id, job)
      this.#newestFirst = undefined
      this.#lastSeq = Math.max(this.#lastSeq, job.seq)
      if (!job.completed && job.start !== null) {
        interruptRunningJob(job, this.#now())
        this.#commits.mark(job)
        this.#logger.warn('job interrupted by restart', { jobId: job.id, pipeline: job.pipeline })
      } else if (job.start === null && !job.canceled) {
        this.#restoreQueued(job)
      }
    }
  }

  /** Wait-list processing for every pipeline (SPEC §5.5: at startup and after a reload). */
  processAllWaitLists(): void {
    for (const pipeline of this.#waitLists.pipelines()) {
      this.#processWaitList(pipeline)
    }
  }

  /**
   * Installs a reloaded definition set (SPEC §4.8): waiting jobs of removed pipelines are
   * canceled, running jobs keep their snapshot, and every wait list is processed.
   */
  setDefinitions(definitions: ReadonlyMap<string, PipelineDefinition>): void {
    // Queued jobs stay queued through a shutdown (SPEC §10.1), whatever a late reload says.
    if (this.#shutdownMode !== undefined) {
      return
    }

    this.#definitions = definitions
    for (const pipeline of this.#waitLists.pipelines()) {
      if (definitions.has(pipeline)) {
        continue
      }

      for (const job of [...this.#waitLists.of(pipeline)]) {
        this.#applyQueuedCancel(
          job,
          cancelQueuedCopy(job, `pipeline "${pipeline}" is no longer defined`),
        )
        this.#commits.mark(job)
      }
    }
    this.processAllWaitLists()
  }

  listPipelines(): PipelineInfo[] {
    const names = [...this.#definitions.keys()].sort(compareBytes)
    return names.map((name) => {
      const definition = this.#definitions.get(name) as PipelineDefinition
      const runningCount = this.#runningCount(name)
      const schedulable =
        this.#shutdownMode === undefined &&
        isSchedulable({ definition, runningCount, waitListLength: this.#waitLists.of(name).length })
      return { pipeline: name, schedulable, running: runningCount > 0 }
    })
  }

  listJobs(): JobState[] {
    // Polled every few seconds with thousands of retained jobs: sort only after the set changed.
    this.#newestFirst ??= [...this.#jobs.values()].sort(
      (a, b) => b.created - a.created || b.seq - a.seq,
    )
    return this.#newestFirst.slice()
  }

  getJob(id: string): JobState | undefined {
    return this.#jobs.get(id)
  }

  async schedule(request: ScheduleRequest): Promise<{ jobId: string }> {
    const definition = this.#acceptableDefinition(request)
    const decision = decideAdmission({
      definition,
      runningCount: this.#runningCount(definition.name),
      waitList: this.#waitLists.of(definition.name),
      partition: request.partition,
    })
    if (decision.kind === 'reject') {
      throw new PrunnerError('SCHEDULE_REJECTED', decision.reason)
    }

    const job = createJob({
      definition,
      request,
      id: crypto.randomUUID(),
      seq: this.#lastSeq + 1,
      now: this.#now(),
    })
    const replaced = decision.kind === 'queue' ? decision.replace : undefined
    this.#commitAdmission(job, replaced)
    this.#logger.info('job scheduled', {
      jobId: job.id,
      pipeline: job.pipeline,
      user: job.user,
      queued: decision.kind === 'queue',
    })
    this.#options.hooks?.onJobChanged?.(job)
    if (decision.kind === 'start') {
      this.#startJob(job)
    } else {
      this.#waitLists.add(job)
    }
    return { jobId: job.id }
  }

  /** The pipeline a request names, or the error it is refused with (SPEC §5.3 steps 1–3). */
  #acceptableDefinition(request: ScheduleRequest): PipelineDefinition {
    if (this.#shutdownMode !== undefined) {
      throw new PrunnerError('SHUTTING_DOWN', 'Server is shutting down')
    }

    const definition = this.#definitions.get(request.pipeline)
    if (definition === undefined) {
      throw new PrunnerError('PIPELINE_NOT_FOUND', `pipeline "${request.pipeline}" is not defined`)
    }

    if (request.variables !== undefined && Object.hasOwn(request.variables, '__jobID')) {
      throw new PrunnerError(
        'SCHEDULE_REJECTED',
        'variable name __jobID is reserved for internal use',
      )
    }

    return definition
  }

  /**
   * Stores the new job and the job it replaces in one transaction (SPEC §5.3 step 6); only once
   * that succeeded does either change in memory.
   */
  #commitAdmission(job: JobState, replaced: JobState | undefined): void {
    const replacedCopy = replaced && cancelQueuedCopy(replaced, `replaced by job ${job.id}`)
    this.#commits.flush()
    try {
      this.#options.store.insertJob(job, replacedCopy ? [replacedCopy] : [])
    } catch (error) {
      throw new PrunnerError('STORE_FAILED', 'Error storing job', { cause: error })
    }

    this.#lastSeq = job.seq
    this.#jobs.set(job.id, job)
    this.#newestFirst = undefined
    if (replaced && replacedCopy) {
      this.#applyQueuedCancel(replaced, replacedCopy)
      this.#logger.info('job replaced', {
        jobId: replaced.id,
        pipeline: replaced.pipeline,
        replacedBy: job.id,
      })
      this.#options.hooks?.onJobChanged?.(replaced)
    }
  }

  async cancel(id: string): Promise<void> {
    const job = this.#jobs.get(id)
    if (job === undefined) {
      throw new PrunnerError('JOB_NOT_FOUND', 'Job not found')
    }

    if (job.canceled) {
      return
    }

    if (job.completed) {
      throw new PrunnerError('CANCEL_FAILED', 'Error canceling job')
    }

    const run = this.#runs.get(id)
    if (run !== undefined) {
      run.cancel('job canceled')
    } else {
      this.#cancelQueued(job)
    }
    this.#logger.info('job canceled', { jobId: job.id, pipeline: job.pipeline, user: job.user })
  }

  /**
   * Deletes a finished job from the store and from memory (retention, SPEC §9.6); the caller
   * removes its log directory. Returns false for unknown or unfinished jobs. Throws when the
   * store fails, leaving the job in place.
   */
  removeJob(id: string): boolean {
    const job = this.#jobs.get(id)
    if (job === undefined || !isJobFinished(job)) {
      return false
    }

    // A pending write of this job must not bring it back after the delete; one that failed
    // keeps the job until it is written.
    this.#commits.flush()
    if (this.#commits.isPending(job)) {
      return false
    }

    this.#options.store.deleteJob(id)
    this.#jobs.delete(id)
    this.#newestFirst = undefined
    return true
  }

  logFiles(jobId: string, task: string): { stdout: string; stderr: string } {
    return taskLogPaths(this.#options.dataDir, jobId, task)
  }

  isShuttingDown(): boolean {
    return this.#shutdownMode !== undefined
  }

  counts(): { running: number; queued: number } {
    return { running: this.#runs.size, queued: this.#waitLists.size }
  }

  /** Commits pending changes now and stops retrying; for the last step before the store closes. */
  flush(): void {
    this.#commits.flush()
    this.#commits.stopRetrying()
  }

  /**
   * Stops admissions and wait-list processing; queued jobs stay queued. `forced` also cancels
   * running jobs. Resolves when no job is running any more.
   */
  shutdown(mode: ShutdownMode): Promise<void> {
    if (this.#shutdownMode !== 'forced') {
      this.#shutdownMode = mode
    }
    this.#waitLists.stopTimers()
    if (mode === 'forced') {
      for (const run of this.#runs.values()) {
        run.cancel(SHUTDOWN_CANCEL_REASON)
      }
    }
    return this.#whenIdle()
  }

  #whenIdle(): Promise<void> {
    if (this.#runs.size === 0) {
      return Promise.resolve()
    }

    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  #restoreQueued(job: JobState): void {
    if (!this.#definitions.has(job.pipeline)) {
      Object.assign(job, cancelQueuedCopy(job, `pipeline "${job.pipeline}" is no longer defined`))
      this.#commits.mark(job)
      return
    }

    this.#waitLists.add(job)
    this.#logger.info('queued job restored', { jobId: job.id, pipeline: job.pipeline })
  }

  /**
   * Starts startable jobs in wait-list order while slots are free (SPEC §5.5); delayed jobs are
   * skipped and do not block the jobs behind them.
   */
  #processWaitList(pipeline: string): void {
    const definition = this.#definitions.get(pipeline)
    // While commits fail a start could not be stored, and a crash would run the job again:
    // queued jobs wait until the store works (the commit queue then asks for processing).
    if (this.#shutdownMode !== undefined || definition === undefined || this.#commits.isFailing) {
      return
    }

    // A job without tasks completes inside #startJob, which re-enters this method. Reading the
    // list and the running count afresh on every step (instead of walking a copy with a
    // precomputed number of free slots) keeps a job from being started twice.
    for (;;) {
      if (this.#runningCount(pipeline) >= definition.concurrency) {
        return
      }

      const next = this.#waitLists.firstStartable(pipeline)
      if (next === undefined) {
        return
      }

      this.#waitLists.remove(next)
      this.#startJob(next)
    }
  }

  #startJob(job: JobState): void {
    const run = new JobRun({
      job,
      logger: this.#logger,
      dataDir: this.#options.dataDir,
      cwd: this.#options.cwd,
      defaultShell: this.#options.defaultShell,
      baseEnv: this.#options.baseEnv ?? inheritedEnv,
      persist: (state) => this.#commits.mark(state),
      commitNow: () => this.#commits.flush(),
      onCompleted: (state) => this.#onJobCompleted(state),
      onTaskSpawned: this.#options.hooks?.onTaskSpawned,
      onTaskExited: this.#options.hooks?.onTaskExited,
      now: this.#now,
      killGraceMs: this.#options.killGraceMs,
    })
    this.#runs.set(job.id, run)
    run.start()
  }

  #onJobCompleted(job: JobState): void {
    this.#runs.delete(job.id)
    this.#processWaitList(job.pipeline)
    this.#options.hooks?.onJobCompleted?.(job)
    if (this.#runs.size === 0) {
      const waiters = this.#idleWaiters
      this.#idleWaiters = []
      for (const resolve of waiters) {
        resolve()
      }
    }
  }

  #cancelQueued(job: JobState): void {
    const copy = cancelQueuedCopy(job, 'job canceled')
    this.#commits.flush()
    try {
      this.#options.store.saveJob(copy)
    } catch (error) {
      throw new PrunnerError('CANCEL_FAILED', 'Error canceling job', { cause: error })
    }

    this.#applyQueuedCancel(job, copy)
    this.#options.hooks?.onJobChanged?.(job)
    this.#processWaitList(job.pipeline)
  }

  #applyQueuedCancel(job: JobState, committed: JobState): void {
    Object.assign(job, committed)
    this.#waitLists.remove(job)
  }

  #runningCount(pipeline: string): number {
    let count = 0
    for (const run of this.#runs.values()) {
      if (run.job.pipeline === pipeline) {
        count++
      }
    }
    return count
  }
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'PRUNNER_JWT_SECRET') {
      env[key] = value
    }
  }
  return env
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}
