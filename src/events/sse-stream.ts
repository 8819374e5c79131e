import type { EventHub } from './event-hub.ts'
import type { PrunnerEvent } from './types.ts'

export interface EventStreamOptions {
  hub: EventHub
  /** The `Last-Event-ID` header; '' for a fresh connection. */
  lastEventId: string
  /** Only events of this job, when set. */
  jobId?: string
  heartbeatMs?: number
  /** Ends the stream when true (checked every tick): the server is about to stop. */
  shouldClose?: () => boolean
  /** A client this many frames behind is disconnected instead of buffered without bound. */
  maxQueuedFrames?: number
}

const DEFAULT_HEARTBEAT_MS = 15_000
const TICK_MS = 500
const RETRY_MS = 3000
const DEFAULT_MAX_QUEUED_FRAMES = 2000

/**
 * A `text/event-stream` body: missed events (or a `reset` event) first, then live events and a
 * comment line as heartbeat. Ending or cancelling the stream removes its subscription and timer.
 */
export function createEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  const maxQueued = options.maxQueuedFrames ?? DEFAULT_MAX_QUEUED_FRAMES
  let unsubscribe = () => {}
  let timer: ReturnType<typeof setInterval> | undefined
  let isOpen = true
  const cleanup = () => {
    isOpen = false
    unsubscribe()
    clearInterval(timer)
  }

  return new ReadableStream<Uint8Array>(
    {
      start: (controller) => {
        let lastWriteAt = Date.now()
        const write = (text: string) => {
          if (!isOpen) {
            return
          }

          // desiredSize counts frames still waiting for the client to read them.
          if ((controller.desiredSize ?? 0) < -maxQueued) {
            cleanup()
            controller.close()
            return
          }

          controller.enqueue(encoder.encode(text))
          lastWriteAt = Date.now()
        }
        const send = (event: PrunnerEvent) => {
          if (options.jobId === undefined || event.data.jobId === options.jobId) {
            write(formatEvent(event))
          }
        }

        write(`retry: ${RETRY_MS}\n: connected\n\n`)
        // Replay and subscription happen in one synchronous step, so no event falls between.
        const resume =
          options.lastEventId === '' ? undefined : options.hub.resume(options.lastEventId)
        if (resume?.kind === 'reset') {
          write(formatFrame({ type: 'reset', id: options.hub.lastEventId, data: '{}' }))
        } else {
          for (const event of resume?.events ?? []) {
            send(event)
          }
        }
        unsubscribe = options.hub.subscribe(send)
        timer = setInterval(
          () => {
            if (options.shouldClose?.()) {
              cleanup()
              controller.close()
            } else if (Date.now() - lastWriteAt >= heartbeatMs) {
              write(': heartbeat\n\n')
            }
          },
          Math.min(TICK_MS, heartbeatMs),
        )
      },
      cancel: cleanup,
    },
    { highWaterMark: 0 },
  )
}

export function formatEvent(event: PrunnerEvent): string {
  return formatFrame({ type: event.type, id: event.id, data: JSON.stringify(event.data) })
}

// JSON.stringify never emits a raw line break, so `data` is always one line.
function formatFrame(frame: { type: string; id: string; data: string }): string {
  const idLine = frame.id === '' ? '' : `id: ${frame.id}\n`
  return `event: ${frame.type}\n${idLine}data: ${frame.data}\n\n`
}
