import { errorMessage } from '../shared/errors.ts'
import { findLineWithNul } from './driver.ts'
import { KillSequence } from './kill-sequence.ts'
import {
  describeSpawnError,
  type Launched,
  launchShell,
  readLastFailingStatus,
  removeTempDir,
  type ShellProcess,
} from './launch.ts'
import { decideOutcome, nonExitFailure, type Verdict } from './outcome.ts'
import { OutputFile, OutputPump } from './output.ts'
import { isGroupAlive } from './process-group.ts'
import { resolveTaskShell } from './shell.ts'
import type { RunningTask, TaskOutcome, TaskRunOptions } from './types.ts'

const DEFAULT_KILL_GRACE_MS = 2000
/** How often the group is checked for members once the shell has exited. */
const GROUP_POLL_MS = 50
/** How long output is still read once shell and group are gone (SPEC §6.7). */
const DRAIN_GRACE_MS = 100

/** Starts one task's shell (SPEC §6); all failures end up in `done`, nothing throws. */
export function startTask(options: TaskRunOptions): RunningTask {
  return new TaskRun(options)
}

interface LogFiles {
  stdout: OutputFile
  stderr: OutputFile
}

class TaskRun implements RunningTask {
  readonly done: Promise<TaskOutcome>
  readonly #options: TaskRunOptions
  readonly #startedAt = performance.now()
  #resolveDone: (outcome: TaskOutcome) => void = () => {}
  #pid: number | undefined
  #files: LogFiles | undefined
  #launched: Launched | undefined
  #pumps: OutputPump[] = []
  #killSequence: KillSequence | undefined
  #pollTimer: ReturnType<typeof setTimeout> | undefined
  #drainTimer: ReturnType<typeof setTimeout> | undefined
  #isKillRequested = false
  #isGroupGone = false
  #isCompleted = false

  constructor(options: TaskRunOptions) {
    this.#options = options
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve
    })
    this.#start()
  }

  get pid(): number | undefined {
    return this.#pid
  }

  kill(): void {
    if (this.#isCompleted || this.#isKillRequested) {
      return
    }

    this.#isKillRequested = true
    // Once the group is known to be empty its id may be reused: no signal any more.
    if (!this.#isGroupGone) {
      this.#killSequence?.start()
    }
  }

  #start(): void {
    const { lines, shell, env, stdoutPath, stderrPath } = this.#options
    const opened = openLogFiles(stdoutPath, stderrPath)
    if ('error' in opened) {
      this.#complete(nonExitFailure(`writing task output: ${opened.error}`))
      return
    }

    this.#files = opened
    const nulLine = findLineWithNul(lines)
    if (nulLine !== undefined) {
      this.#complete(nonExitFailure(`script line ${nulLine} contains a NUL byte`))
      return
    }

    if (lines.length === 0) {
      this.#complete({ outcome: { status: 'done', exitCode: 0 } })
      return
    }

    const program = resolveTaskShell(shell, env.PATH)
    if (program === undefined) {
      this.#complete(nonExitFailure(`starting shell "${shell}": executable file not found in PATH`))
      return
    }

    this.#launch(program, opened)
  }

  #launch(program: string, files: LogFiles): void {
    const { lines, shell, env, cwd, allowFailure, scratchDir, logger } = this.#options
    let launched: Launched
    try {
      launched = launchShell({ program, lines, cwd, env, allowFailure, scratchDir })
    } catch (error) {
      this.#complete(nonExitFailure(`starting shell "${shell}": ${describeSpawnError(error)}`))
      return
    }

    const shellProcess = launched.process
    this.#launched = launched
    this.#pid = shellProcess.pid
    // Attach the readers before anything else can run, so Bun never buffers output unbounded.
    this.#pumps = [
      new OutputPump(launched.stdout, files.stdout),
      new OutputPump(launched.stderr, files.stderr),
    ]
    this.#killSequence = new KillSequence({
      pgid: shellProcess.pid,
      graceMs: this.#options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      logger,
    })
    logger.debug('task started', { pid: shellProcess.pid })
    const onExit = (): void => this.#watchGroup()
    shellProcess.exited.then(onExit, onExit)
  }

  /** Runs once the shell has exited, then every GROUP_POLL_MS until its group is empty. */
  #watchGroup(): void {
    this.#pollTimer = undefined
    const pid = this.#pid
    if (pid !== undefined && isGroupAlive(pid)) {
      // Leftovers such as `sleep 600 &` get the same kill sequence as a canceled task.
      this.#killSequence?.start()
      this.#pollTimer = setTimeout(() => this.#watchGroup(), GROUP_POLL_MS)
      return
    }

    this.#isGroupGone = true
    this.#killSequence?.stop()
    this.#drainOutput().then(
      () => this.#completeFromExit(),
      () => this.#completeFromExit(),
    )
  }

  /** A process that left the group may hold the pipes open: stop reading after a short grace. */
  async #drainOutput(): Promise<void> {
    this.#drainTimer = setTimeout(() => {
      for (const pump of this.#pumps) {
        pump.close()
      }
    }, DRAIN_GRACE_MS)
    await Promise.all(this.#pumps.map((pump) => pump.done))
  }

  #completeFromExit(): void {
    const shellProcess: ShellProcess | undefined = this.#launched?.process
    const writeError = this.#files?.stdout.error ?? this.#files?.stderr.error
    const verdict = decideOutcome({
      exit: {
        exitCode: shellProcess?.exitCode ?? null,
        signalCode: shellProcess?.signalCode ?? null,
      },
      isKillRequested: this.#isKillRequested,
      writeError,
      allowFailure: this.#options.allowFailure,
      lastFailingStatus: readLastFailingStatus(this.#launched?.statusPath),
    })
    this.#complete(verdict)
  }

  /** The single exit point: releases every timer, file and temp dir, then settles `done`. */
  #complete({ outcome, stderrNote }: Verdict): void {
    if (this.#isCompleted) {
      return
    }

    this.#isCompleted = true
    this.#killSequence?.stop()
    clearTimeout(this.#pollTimer)
    clearTimeout(this.#drainTimer)
    if (stderrNote !== undefined) {
      this.#files?.stderr.appendLine(stderrNote)
    }

    this.#files?.stdout.close()
    this.#files?.stderr.close()
    removeTempDir(this.#launched?.tempDir)
    const durationMs = Math.round(performance.now() - this.#startedAt)
    this.#options.logger.debug('task finished', {
      pid: this.#pid,
      status: outcome.status,
      exitCode: outcome.exitCode,
      durationMs,
    })
    this.#resolveDone(outcome)
  }
}

/** Both files or the first error; a half-opened pair still gets the error note in stderr. */
function openLogFiles(stdoutPath: string, stderrPath: string): LogFiles | { error: string } {
  const stdout = tryOpen(stdoutPath)
  const stderr = tryOpen(stderrPath)
  if (stdout instanceof OutputFile && stderr instanceof OutputFile) {
    return { stdout, stderr }
  }

  const error = stdout instanceof OutputFile ? (stderr as { error: string }).error : stdout.error
  if (stderr instanceof OutputFile) {
    stderr.appendLine(`writing task output: ${error}`)
    stderr.close()
  }

  if (stdout instanceof OutputFile) {
    stdout.close()
  }

  return { error }
}

function tryOpen(path: string): OutputFile | { error: string } {
  try {
    return OutputFile.open(path)
  } catch (error) {
    return { error: errorMessage(error) }
  }
}
