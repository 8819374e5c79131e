import type { JobState } from '../store/index.ts'

/** How long a failed commit waits before it is tried again, even if no job changes. */
const RETRY_MS = 1000

/**
 * Collects job changes and commits every change made in one turn of the event loop in a single
 * transaction, from a microtask: that runs before any I/O callback (and so before any HTTP
 * response), and costs one fsync per turn instead of one per change.
 */
export class CommitQueue {
  readonly #save: (jobs: JobState[]) => void
  readonly #onCommitted: (job: JobState) => void
  readonly #onRecovered: () => void
  #isFailing = false
  readonly #pending = new Set<JobState>()
  #isFlushQueued = false
  #retryTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: {
    save: (jobs: JobState[]) => void
    onCommitted: (job: JobState) => void
    /** Called after a commit succeeds that follows a failed one. */
    onRecovered: () => void
  }) {
    this.#save = options.save
    this.#onCommitted = options.onCommitted
    this.#onRecovered = options.onRecovered
  }

  /** True from a failed commit until a later one succeeds. */
  get isFailing(): boolean {
    return this.#isFailing
  }

  mark(job: JobState): void {
    this.#pending.add(job)
    if (!this.#isFlushQueued) {
      this.#isFlushQueued = true
      queueMicrotask(() => this.flush())
    }
  }

  /** Whether a change of `job` is not stored yet (also after a failed commit). */
  isPending(job: JobState): boolean {
    return this.#pending.has(job)
  }

  /**
   * Commits the pending changes now. A failed write keeps them pending and retries; a running
   * job's in-memory state stays authoritative meanwhile (SPEC §9.4).
   */
  flush(): void {
    this.#isFlushQueued = false
    if (this.#pending.size === 0) {
      return
    }

    const jobs = [...this.#pending]
    try {
      this.#save(jobs)
      this.#pending.clear()
    } catch {
      // The store has logged `persisting state failed`.
      this.#isFailing = true
      this.#retryTimer ??= setTimeout(() => {
        this.#retryTimer = undefined
        this.flush()
      }, RETRY_MS)
      return
    }

    this.stopRetrying()
    for (const job of jobs) {
      this.#onCommitted(job)
    }
    if (this.#isFailing) {
      this.#isFailing = false
      this.#onRecovered()
    }
  }

  stopRetrying(): void {
    clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
  }
}
