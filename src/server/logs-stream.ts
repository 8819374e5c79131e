import { stat } from 'node:fs/promises'
import { isMissingFileError, readFileChunk } from './file-read.ts'

/** Paths of a task's two log files. */
export interface LogFilePaths {
  stdout: string
  stderr: string
}

// Small enough that five concurrent readers of huge logs stay far below SPEC §8.6's 128 MB.
const CHUNK_BYTES = 64 * 1024

/**
 * The body `{"stdout":"...","stderr":"..."}\n` streamed from the two files, each read up to
 * its size now (SPEC §8.6). Bytes are decoded with the WHATWG UTF-8 decoder, so invalid
 * sequences become U+FFFD; a missing file reads as "".
 */
export async function openLogsJsonStream(paths: LogFilePaths): Promise<ReadableStream<Uint8Array>> {
  const stdout = await snapshotSize(paths.stdout)
  const stderr = await snapshotSize(paths.stderr)
  return createJsonStream([
    '{"stdout":"',
    stdout ? createFileSegment(stdout) : '',
    '","stderr":"',
    stderr ? createFileSegment(stderr) : '',
    '"}\n',
  ])
}

interface FileSnapshot {
  path: string
  size: number
}

/** Yields escaped JSON string content, one chunk per call, then undefined once done. */
interface FileSegment {
  next(): Promise<string | undefined>
  close(): Promise<void>
}

type Segment = string | FileSegment

async function snapshotSize(path: string): Promise<FileSnapshot | undefined> {
  try {
    const { size } = await stat(path)
    return { path, size }
  } catch (error) {
    if (isMissingFileError(error)) {
      return undefined
    }

    throw error
  }
}

function createJsonStream(segments: Segment[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let index = 0
  const closeFiles = async () => {
    await Promise.allSettled(segments.map((segment) => (isFile(segment) ? segment.close() : null)))
  }

  return new ReadableStream<Uint8Array>({
    // Each pull enqueues at least one chunk or closes: a pull that enqueues nothing is not
    // repeated by the stream, and the reader would wait forever.
    pull: async (controller) => {
      try {
        const text = await nextText()
        if (text === undefined) {
          controller.close()
        } else {
          controller.enqueue(encoder.encode(text))
        }
      } catch (error) {
        await closeFiles()
        throw error
      }
    },
    cancel: closeFiles,
  })

  async function nextText(): Promise<string | undefined> {
    while (index < segments.length) {
      const segment = segments[index] as Segment
      const text = isFile(segment) ? await segment.next() : segment
      if (text === undefined || !isFile(segment)) {
        index += 1
      }

      if (text) {
        return text
      }
    }
    return undefined
  }
}

function createFileSegment(snapshot: FileSnapshot): FileSegment {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  const buffer = Buffer.alloc(CHUNK_BYTES)
  let position = 0
  let isClosed = false
  const close = async () => {
    isClosed = true
  }

  const next = async (): Promise<string | undefined> => {
    if (isClosed) {
      return undefined
    }

    const bytesRead = await readChunk(snapshot, buffer, position)
    position += bytesRead
    // A file truncated after the request arrived ends early instead of being waited for.
    if (bytesRead === 0) {
      isClosed = true
      return escapeJsonText(decoder.decode())
    }

    return escapeJsonText(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }))
  }

  return { next, close }
}

async function readChunk(
  snapshot: FileSnapshot,
  buffer: Buffer,
  position: number,
): Promise<number> {
  const length = Math.min(buffer.length, snapshot.size - position)
  return length <= 0 ? 0 : await readFileChunk({ path: snapshot.path, buffer, position, length })
}

/** The content of a JSON string literal; `<`, `>` and `&` stay literal (SPEC §8.3). */
function escapeJsonText(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

function isFile(segment: Segment): segment is FileSegment {
  return typeof segment !== 'string'
}
