import { constants } from 'node:os'
import type { TaskOutcome } from './types.ts'

/** An outcome plus the note prunner appends to the stderr log for non-exit failures (SPEC §6.6). */
export interface Verdict {
  outcome: TaskOutcome
  stderrNote?: string
}

export interface ShellExit {
  exitCode: number | null
  /** Bun reports a name, or a number for a signal it has no name for. */
  signalCode: string | number | null
}

export interface OutcomeInputs {
  exit: ShellExit
  isKillRequested: boolean
  writeError: string | undefined
  allowFailure: boolean
  /** The status of the last failing line as the driver recorded it (allow_failure only). */
  lastFailingStatus: number | undefined
}

/** Decides how a task whose shell ran has ended, in the precedence SPEC §5.7 and §6.6 give. */
export function decideOutcome(inputs: OutcomeInputs): Verdict {
  const { exit, isKillRequested, writeError, allowFailure, lastFailingStatus } = inputs
  if (isKillRequested) {
    return { outcome: { status: 'canceled', exitCode: -1 } }
  }

  if (writeError !== undefined) {
    return nonExitFailure(`writing task output: ${writeError}`)
  }

  if (exit.signalCode !== null) {
    return foreignSignal(exit.signalCode)
  }

  const status = exit.exitCode ?? -1
  if (allowFailure) {
    // `exit 0` after a failed line must not hide that line's status (SPEC §6.2 items 5 and 6).
    return {
      outcome: { status: 'done', exitCode: status !== 0 ? status : (lastFailingStatus ?? 0) },
    }
  }

  if (status === 0) {
    return { outcome: { status: 'done', exitCode: 0 } }
  }

  return { outcome: { status: 'error', exitCode: status, error: `exit status ${status}` } }
}

/** A failure that is not a line's exit status: exitCode -1, and the message goes to stderr too. */
export function nonExitFailure(message: string): Verdict {
  return { outcome: { status: 'error', exitCode: -1, error: message }, stderrNote: message }
}

function foreignSignal(signal: string | number): Verdict {
  const signals: Record<string, number | undefined> = constants.signals
  const number = typeof signal === 'number' ? signal : signals[signal]
  const name = typeof signal === 'number' ? signalName(signal, signals) : signal
  const message = `terminated by signal ${name}`
  return {
    outcome: {
      status: 'error',
      exitCode: number === undefined ? -1 : 128 + number,
      error: message,
    },
    stderrNote: message,
  }
}

function signalName(number: number, signals: Record<string, number | undefined>): string {
  const entry = Object.entries(signals).find(([, value]) => value === number)
  return entry === undefined ? `signal ${number}` : entry[0]
}
