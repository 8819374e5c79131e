import type { Logger } from '../log/index.ts'

export interface TaskRunOptions {
  /** Rendered script lines; an empty list starts no process and ends `done` at once. */
  lines: string[]
  /** An absolute path, or a bare name looked up on `env.PATH` when the task starts. */
  shell: string
  env: Record<string, string>
  /** The working directory at the start of every line. */
  cwd: string
  /** Created or truncated (mode 0600) when the task starts; the caller creates the directory. */
  stdoutPath: string
  stderrPath: string
  allowFailure: boolean
  logger: Logger
  /**
   * Where each task gets a private 0700 directory for its driver script (SPEC §6.2) and status
   * file, removed when the task ends; defaults to the system temp directory.
   */
  scratchDir?: string
  /** Delay between SIGINT and SIGKILL; SPEC §6.7 fixes it at 2 s, tests may shorten it. */
  killGraceMs?: number
}

export type TaskOutcomeStatus = 'done' | 'error' | 'canceled'

/** How a task ended (SPEC §6.6); a failed task is a result, never an exception. */
export interface TaskOutcome {
  status: TaskOutcomeStatus
  /** 0 on success, N for a failing line, -1 when canceled or for a non-exit failure, 128+S. */
  exitCode: number
  error?: string
}

export interface RunningTask {
  /** The shell's pid, which is also its process group id; undefined when no process started. */
  readonly pid: number | undefined
  /** Settles once the task is over (SPEC §6.7); never rejects. */
  readonly done: Promise<TaskOutcome>
  /** Starts the kill sequence; idempotent. The task then ends `canceled` with exitCode -1. */
  kill(): void
}
