import type { JobState } from '../store/index.ts'
import { type DelayTimer, startDelayTimer } from './delay-timer.ts'

/**
 * The per-pipeline wait lists in acceptance order, and the start_delay timer of each job that
 * is still in its delay (SPEC §5.4). A delayed job stays on its list; `onDelayElapsed` asks
 * for wait-list processing once it becomes startable.
 */
export class WaitLists {
  readonly #lists = new Map<string, JobState[]>()
  readonly #timers = new Map<string, DelayTimer>()
  readonly #now: () => number
  readonly #onDelayElapsed: (pipeline: string) => void

  constructor(options: { now: () => number; onDelayElapsed: (pipeline: string) => void }) {
    this.#now = options.now
    this.#onDelayElapsed = options.onDelayElapsed
  }

  /** The wait list of `pipeline` in order; empty when it has none. */
  of(pipeline: string): readonly JobState[] {
    return this.#lists.get(pipeline) ?? []
  }

  pipelines(): string[] {
    return [...this.#lists.keys()]
  }

  get size(): number {
    let count = 0
    for (const list of this.#lists.values()) {
      count += list.length
    }
    return count
  }

  /** Appends `job` and arms its delay, counted from its `created` time. */
  add(job: JobState): void {
    const list = this.#lists.get(job.pipeline) ?? []
    list.push(job)
    this.#lists.set(job.pipeline, list)
    const dueAt = job.created + job.snapshot.startDelayMs
    if (dueAt > this.#now()) {
      const timer = startDelayTimer({
        dueAt,
        now: this.#now,
        onDue: () => {
          this.#timers.delete(job.id)
          this.#onDelayElapsed(job.pipeline)
        },
      })
      this.#timers.set(job.id, timer)
    }
  }

  /** Takes `job` off its list and stops its delay. */
  remove(job: JobState): void {
    const list = this.#lists.get(job.pipeline) ?? []
    const index = list.indexOf(job)
    if (index >= 0) {
      list.splice(index, 1)
    }
    this.#timers.get(job.id)?.clear()
    this.#timers.delete(job.id)
  }

  /** The first job of `pipeline` whose delay is over, if any. */
  firstStartable(pipeline: string): JobState | undefined {
    return this.of(pipeline).find((job) => !this.#timers.has(job.id))
  }

  /** Stops every delay (shutdown); the jobs stay on their lists. */
  stopTimers(): void {
    for (const timer of this.#timers.values()) {
      timer.clear()
    }
    this.#timers.clear()
  }
}
