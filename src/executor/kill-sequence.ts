import type { Logger } from '../log/index.ts'
import { type GroupSignal, isGroupAlive, signalGroup } from './process-group.ts'

/**
 * SIGINT to the task's group at once, SIGKILL to the group `graceMs` later if a member still
 * lives (SPEC §6.7). Each runs at most once: starting again is a no-op, and after stop() no signal
 * is ever sent, so a finished task cannot hit a group whose id the kernel has handed on.
 */
export class KillSequence {
  readonly #pgid: number
  readonly #graceMs: number
  readonly #logger: Logger
  #isStarted = false
  #isStopped = false
  #killTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: { pgid: number; graceMs: number; logger: Logger }) {
    this.#pgid = options.pgid
    this.#graceMs = options.graceMs
    this.#logger = options.logger
  }

  start(): void {
    if (this.#isStarted || this.#isStopped) {
      return
    }

    this.#isStarted = true
    this.#send('SIGINT')
    this.#killTimer = setTimeout(() => {
      this.#killTimer = undefined
      // Background children of a non-interactive shell ignore SIGINT, so this step is routine.
      if (!this.#isStopped && isGroupAlive(this.#pgid)) {
        this.#send('SIGKILL')
      }
    }, this.#graceMs)
  }

  stop(): void {
    this.#isStopped = true
    clearTimeout(this.#killTimer)
    this.#killTimer = undefined
  }

  #send(signal: GroupSignal): void {
    const isSent = signalGroup(this.#pgid, signal)
    this.#logger.debug('task signaled', { pid: this.#pgid, signal, sent: isSent })
  }
}
