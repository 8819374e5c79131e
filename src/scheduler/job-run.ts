import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import type { HandlerDefinition, TaskDefinition } from '../definition/index.ts'
import { type RunningTask, startTask, type TaskOutcome } from '../executor/index.ts'
import type { Logger } from '../log/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { type JobState, jobLogDir, type TaskState, taskLogPaths } from '../store/index.ts'
import { renderTemplate } from '../template/index.ts'
import { readLogTail } from './log-tail.ts'

export const ON_ERROR_TASK = 'on_error'

export interface JobRunOptions {
  job: JobState
  logger: Logger
  dataDir: string
  cwd: string
  defaultShell: string | undefined
  /** The environment tasks inherit, read when each task starts. */
  baseEnv: () => Record<string, string>
  /** Marks the job as changed; must not throw (the caller logs storage failures). */
  persist: (job: JobState) => void
  /** Commits every marked change now, before a side effect such as a spawn. */
  commitNow: () => void
  onCompleted: (job: JobState) => void
  /** A task's shell was started (pid = pgid); for finding leftover groups after a crash. */
  onTaskSpawned?: (job: JobState, task: TaskState, pid: number) => void
  /** A task that had a process has completed (its group is gone). */
  onTaskExited?: (job: JobState, task: TaskState) => void
  now: () => number
  killGraceMs?: number
}

/**
 * Drives one started job through its task graph (SPEC §5.8, §5.9): starts tasks as their
 * dependencies finish, applies fail-fast or continue mode, runs `on_error`, and cancels.
 */
export class JobRun {
  readonly job: JobState
  readonly #options: JobRunOptions
  readonly #running = new Map<string, RunningTask>()
  readonly #definitions: Map<string, TaskDefinition>
  #firstFailure: TaskState | undefined
  #isStopping = false
  #phase: 'tasks' | 'handler' | 'finished' = 'tasks'

  constructor(options: JobRunOptions) {
    this.job = options.job
    this.#options = options
    this.#definitions = new Map(options.job.snapshot.tasks.map((task) => [task.name, task]))
  }

  start(): void {
    this.job.start = this.#options.now()
    this.#options.persist(this.job)
    this.#options.logger.info('job started', { jobId: this.job.id, pipeline: this.job.pipeline })
    this.#advance()
  }

  /** Cancels the job (API cancel or forced shutdown); `on_error` will not run. */
  cancel(reason: string): void {
    if (this.#phase === 'finished' || this.job.canceled) {
      return
    }

    this.job.canceled = true
    this.job.lastError = this.#firstFailure?.error ?? reason
    this.#stop()
    this.#options.persist(this.job)
    this.#finishIfIdle()
  }

  #advance(): void {
    if (this.#isStopping) {
      this.#finishIfIdle()
      return
    }

    const ready: TaskState[] = []
    for (const task of this.job.tasks) {
      if (task.status !== 'waiting') {
        continue
      }

      const readiness = this.#readiness(task)
      if (readiness === 'blocked') {
        markSkipped(task)
      } else if (readiness === 'ready') {
        task.status = 'running'
        task.start = this.#options.now()
        ready.push(task)
      }
    }
    this.#options.persist(this.job)
    // The start is stored before any shell runs, so a prunner killed right after the spawn
    // finds the job started (and marks it interrupted) instead of running it a second time.
    if (ready.length > 0) {
      this.#options.commitNow()
    }
    for (const task of ready) {
      // An observer of that commit may have canceled the job: what has not started stays so.
      if (this.#isStopping) {
        Object.assign(task, { status: 'canceled', start: null })
        continue
      }

      this.#startTask(task)
    }
    this.#finishIfIdle()
  }

  #readiness(task: TaskState): 'ready' | 'waiting' | 'blocked' {
    let isReady = true
    for (const name of task.dependsOn) {
      const dependency = this.job.tasks.find((candidate) => candidate.name === name)
      if (dependency === undefined || this.#hasFailed(dependency)) {
        return 'blocked'
      }

      if (!this.#isSatisfied(dependency)) {
        isReady = false
      }
    }
    return isReady ? 'ready' : 'waiting'
  }

  #isSatisfied(task: TaskState): boolean {
    return task.status === 'done' || (task.status === 'error' && this.#allowsFailure(task.name))
  }

  #hasFailed(task: TaskState): boolean {
    return task.status === 'skipped' || (task.status === 'error' && !this.#allowsFailure(task.name))
  }

  #allowsFailure(name: string): boolean {
    return this.#definitions.get(name)?.allowFailure === true
  }

  #startTask(task: TaskState): void {
    const definition = this.#definitions.get(task.name)
    if (definition !== undefined) {
      this.#launch(task, definition, {})
    }
  }

  /** Renders the lines, then starts the shell; a render failure ends the task without a process. */
  #launch(
    task: TaskState,
    definition: TaskDefinition | HandlerDefinition,
    extraData: Record<string, unknown>,
  ): void {
    const { job } = this
    const logDir = jobLogDir(this.#options.dataDir, job.id)
    const { stdout: stdoutPath, stderr: stderrPath } = taskLogPaths(
      this.#options.dataDir,
      job.id,
      task.name,
    )
    const data = { ...job.variables, ...extraData, __jobID: job.id }
    let running: RunningTask
    try {
      mkdirSync(logDir, { recursive: true, mode: 0o700 })
      const lines = definition.script.map((line) => renderTemplate(line, data))
      running = startTask({
        lines,
        shell: definition.shell ?? job.snapshot.shell ?? this.#options.defaultShell ?? 'sh',
        env: this.#taskEnv(task.name, definition.env),
        cwd: this.#options.cwd,
        stdoutPath,
        stderrPath,
        allowFailure: 'allowFailure' in definition && definition.allowFailure,
        logger: this.#options.logger.child({
          component: 'executor',
          jobId: job.id,
          task: task.name,
        }),
        killGraceMs: this.#options.killGraceMs,
      })
    } catch (error) {
      const message = errorMessage(error)
      writeFailureLogs(stdoutPath, stderrPath, message)
      running = settledTask({ status: 'error', exitCode: -1, error: message })
    }

    this.#running.set(task.name, running)
    if (running.pid !== undefined) {
      this.#options.onTaskSpawned?.(job, task, running.pid)
    }
    running.done.then(
      (outcome) => this.#onTaskEnded(task, outcome),
      (error: unknown) =>
        this.#onTaskEnded(task, { status: 'error', exitCode: -1, error: errorMessage(error) }),
    )
  }

  #taskEnv(taskName: string, taskEnv: Record<string, string>): Record<string, string> {
    return {
      ...this.#options.baseEnv(),
      ...this.job.snapshot.env,
      TASK_NAME: taskName,
      ...taskEnv,
    }
  }

  #onTaskEnded(task: TaskState, outcome: TaskOutcome): void {
    const running = this.#running.get(task.name)
    this.#running.delete(task.name)
    if (running?.pid !== undefined) {
      this.#options.onTaskExited?.(this.job, task)
    }
    task.end = this.#options.now()
    task.status = this.job.canceled || outcome.status === 'canceled' ? 'canceled' : outcome.status
    task.exitCode = task.status === 'canceled' ? -1 : outcome.exitCode
    task.errored = task.status === 'error'
    if (task.status === 'error' && outcome.error !== undefined) {
      task.error = outcome.error
    }

    if (this.#phase === 'handler') {
      this.#onHandlerEnded(task)
      return
    }

    if (task.status === 'error' && !this.#allowsFailure(task.name)) {
      this.#onTaskFailed(task)
    }
    this.#advance()
  }

  #onTaskFailed(task: TaskState): void {
    if (this.#firstFailure !== undefined) {
      return
    }

    this.#firstFailure = task
    this.job.lastError ??= task.error
    if (!this.job.snapshot.continueRunningTasksAfterFailure) {
      this.#options.logger.warn('task failed, canceling job', {
        jobId: this.job.id,
        task: task.name,
      })
      this.#stop()
    }
  }

  /** Stops launching tasks, kills running ones and settles every waiting task (SPEC §5.8). */
  #stop(): void {
    this.#isStopping = true
    for (const task of this.job.tasks) {
      if (task.status !== 'waiting') {
        continue
      }

      const isBlocked = !this.job.canceled && this.#readiness(task) === 'blocked'
      if (isBlocked) {
        markSkipped(task)
      } else {
        task.status = 'canceled'
      }
    }
    for (const running of this.#running.values()) {
      running.kill()
    }
  }

  #finishIfIdle(): void {
    if (this.#running.size > 0 || this.#phase !== 'tasks') {
      return
    }

    if (this.job.tasks.some((task) => task.status === 'waiting' || task.status === 'running')) {
      return
    }

    const handler = this.job.snapshot.onError
    if (this.#firstFailure !== undefined && !this.job.canceled && handler !== undefined) {
      this.#runHandler(handler, this.#firstFailure)
      return
    }

    this.#finish()
  }

  #runHandler(handler: HandlerDefinition, failed: TaskState): void {
    this.#phase = 'handler'
    const task: TaskState = {
      name: ON_ERROR_TASK,
      dependsOn: [],
      status: 'running',
      start: this.#options.now(),
      end: null,
      exitCode: 0,
      errored: false,
    }
    this.job.tasks.push(task)
    this.#options.persist(this.job)
    this.#options.commitNow()
    this.#options.logger.info('running on_error handler', {
      jobId: this.job.id,
      failedTask: failed.name,
    })
    const failedLogs = taskLogPaths(this.#options.dataDir, this.job.id, failed.name)
    this.#launch(task, handler, {
      failedTaskName: failed.name,
      failedTaskExitCode: failed.exitCode,
      failedTaskError: failed.error ?? '',
      failedTaskStdout: readLogTail(failedLogs.stdout),
      failedTaskStderr: readLogTail(failedLogs.stderr),
    })
  }

  #onHandlerEnded(task: TaskState): void {
    if (task.status === 'error') {
      this.#options.logger.warn('on_error handler failed', {
        jobId: this.job.id,
        failedTask: this.#firstFailure?.name,
      })
    }
    this.#finish()
  }

  #finish(): void {
    const { job } = this
    this.#phase = 'finished'
    job.completed = true
    job.end = this.#options.now()
    this.#options.persist(job)
    this.#options.logger.info('job finished', {
      jobId: job.id,
      pipeline: job.pipeline,
      result: job.canceled ? 'canceled' : this.#firstFailure ? 'failed' : 'succeeded',
      durationMs: job.end - (job.start ?? job.end),
    })
    this.#options.onCompleted(job)
  }
}

function markSkipped(task: TaskState): void {
  task.status = 'skipped'
}

/** A task that ended before any process started (template error, log file not creatable). */
function settledTask(outcome: TaskOutcome): RunningTask {
  return { pid: undefined, done: Promise.resolve(outcome), kill: () => {} }
}

/** Non-exit failures are also written to the task's stderr log, so log viewers show them. */
function writeFailureLogs(stdoutPath: string, stderrPath: string, message: string): void {
  try {
    writeFileSync(stdoutPath, '', { mode: 0o600 })
    writeFileSync(stderrPath, '', { mode: 0o600 })
    appendFileSync(stderrPath, `${message}\n`)
  } catch {
    // The log directory itself is unusable; the task's `error` field still carries the message.
  }
}
