import type { Logger } from '../log/index.ts'
import type { JobState } from '../scheduler/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { diffJob, type JobChange, type JobSnapshot, jobEventData } from './job-diff.ts'
import { RingBuffer } from './ring-buffer.ts'
import type { PrunnerEvent } from './types.ts'

export type EventListener = (event: PrunnerEvent) => void

/** What a client resuming with `Last-Event-ID` gets: the events it missed, or a reset. */
export type Resume = { kind: 'replay'; events: PrunnerEvent[] } | { kind: 'reset' }

const DEFAULT_CAPACITY = 1000

/**
 * Turns the scheduler's "this job changed" hooks into numbered events, keeps the newest ones
 * for `Last-Event-ID` resume, and fans them out to subscribers (the SSE streams, metrics).
 */
export class EventHub {
  readonly #buffer: RingBuffer<PrunnerEvent>
  readonly #snapshots = new Map<string, JobSnapshot>()
  readonly #listeners = new Set<EventListener>()
  readonly #observers = new Set<EventListener>()
  readonly #bootId: string
  readonly #logger: Logger | undefined
  #lastSeq = 0

  constructor(options: { capacity?: number; bootId?: string; logger?: Logger } = {}) {
    this.#buffer = new RingBuffer(options.capacity ?? DEFAULT_CAPACITY)
    this.#bootId = options.bootId ?? Date.now().toString(36)
    this.#logger = options.logger?.child({ component: 'events' })
  }

  /** Pass as the Scheduler's `hooks`; they are called after each committed change. */
  readonly hooks = {
    onJobChanged: (job: JobState): void => this.jobChanged(job),
  }

  /** The id of the newest event, '' before the first. */
  get lastEventId(): string {
    return this.#lastSeq === 0 ? '' : this.#formatId(this.#lastSeq)
  }

  /** Open client streams; in-process observers (`observe`) do not count. */
  get subscriberCount(): number {
    return this.#listeners.size
  }

  /** Jobs the hub tracks because they have not finished: bounded by the live jobs. */
  get trackedJobCount(): number {
    return this.#snapshots.size
  }

  jobChanged(job: JobState): void {
    // Called from inside the scheduler's state machine: a failure here must not stop a job.
    try {
      this.#recordChange(job)
    } catch (error) {
      this.#logger?.error('event hub failed', { jobId: job.id, error: errorMessage(error) })
    }
  }

  /**
   * Remembers jobs that exist before the hub sees them change (queued jobs restored after a
   * restart), so their later start is not reported as a new job. Emits nothing.
   */
  seed(jobs: readonly JobState[]): void {
    for (const job of jobs) {
      const { next } = diffJob(undefined, job)
      if (!next.isFinished) {
        this.#snapshots.set(job.id, next)
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Like `subscribe`, for in-process consumers such as metrics that live as long as the app. */
  observe(listener: EventListener): void {
    this.#observers.add(listener)
  }

  /**
   * The events after `lastEventId` when the buffer still holds all of them; a reset when the id
   * is from another prunner process, unknown, or older than the buffer.
   */
  resume(lastEventId: string): Resume {
    const seq = this.#parseId(lastEventId)
    if (seq === undefined || seq > this.#lastSeq) {
      return { kind: 'reset' }
    }

    const events = this.#buffer.toArray()
    const oldestSeq = events[0]?.seq ?? this.#lastSeq + 1
    if (seq < oldestSeq - 1) {
      return { kind: 'reset' }
    }

    return { kind: 'replay', events: events.filter((event) => event.seq > seq) }
  }

  #recordChange(job: JobState): void {
    const previous = this.#snapshots.get(job.id)
    const { changes, next } = diffJob(previous, job)
    if (next.isFinished) {
      this.#snapshots.delete(job.id)
    } else {
      this.#snapshots.set(job.id, next)
    }

    for (const change of changes) {
      this.#emit(change)
    }

    // The scheduler starts or queues a new job right after reporting it, in the same call
    // stack: only once that stack has unwound is it known which of the two happened.
    if (previous === undefined && !next.isStarted && !next.isFinished) {
      queueMicrotask(() => this.#reportQueued(job))
    }
  }

  #reportQueued(job: JobState): void {
    // The live job, not only the snapshot: the scheduler commits (and reports) the start of a
    // job that starts at once in a later microtask than this one.
    const snapshot = this.#snapshots.get(job.id)
    const isWaiting = job.start === null && !job.canceled && !job.completed
    if (snapshot !== undefined && !snapshot.isStarted && isWaiting) {
      this.#emit({ type: 'job.queued', data: jobEventData(job) })
    }
  }

  #emit(change: JobChange): void {
    this.#lastSeq += 1
    const event: PrunnerEvent = { id: this.#formatId(this.#lastSeq), seq: this.#lastSeq, ...change }
    this.#buffer.push(event)
    for (const listener of [...this.#observers, ...this.#listeners]) {
      try {
        listener(event)
      } catch (error) {
        this.#logger?.error('event listener failed', { error: errorMessage(error) })
      }
    }
  }

  #formatId(seq: number): string {
    return `${this.#bootId}-${seq}`
  }

  #parseId(id: string): number | undefined {
    const dash = id.lastIndexOf('-')
    const seqText = id.slice(dash + 1)
    if (dash === -1 || id.slice(0, dash) !== this.#bootId || !/^\d{1,15}$/.test(seqText)) {
      return undefined
    }

    return Number(seqText)
  }
}
