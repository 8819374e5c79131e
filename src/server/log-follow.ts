import { readFileChunk } from './file-read.ts'

export interface LogFollowOptions {
  path: string
  /** Byte position to start from. */
  offset: number
  /** True once no more output can come (the task ended). Checked before each read. */
  isDone: () => boolean
  pollMs?: number
}

const CHUNK_BYTES = 64 * 1024
const DEFAULT_POLL_MS = 200

/**
 * The raw bytes of a log file from `offset`, following appends until `isDone()` and the end of
 * the file are both reached (tail -f). A file that does not exist yet is waited for.
 */
export function createLogFollowStream(options: LogFollowOptions): ReadableStream<Uint8Array> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS
  let position = options.offset
  let isCanceled = false
  return new ReadableStream<Uint8Array>(
    {
      // Each pull enqueues one chunk or closes; it waits while the file has nothing new.
      pull: async (controller) => {
        while (!isCanceled) {
          // Checked before reading: bytes written before the task ended are still read.
          const wasDone = options.isDone()
          const chunk = await readChunk(options.path, position)
          if (chunk.byteLength > 0) {
            position += chunk.byteLength
            controller.enqueue(chunk)
            return
          }

          if (wasDone) {
            controller.close()
            return
          }

          await Bun.sleep(pollMs)
        }
      },
      cancel: () => {
        isCanceled = true
      },
    },
    { highWaterMark: 0 },
  )
}

async function readChunk(path: string, position: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(CHUNK_BYTES)
  const bytesRead = await readFileChunk({ path, buffer, position })
  return buffer.subarray(0, bytesRead)
}
