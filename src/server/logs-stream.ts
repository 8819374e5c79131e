import { type FileHandle, open } from 'node:fs/promises'

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
 * sequences become U+FFFD; a missing file reads as "". The files are opened before this
 * resolves, so a file that disappears later is still read in full.
 */
export async function openLogsJsonStream(paths: LogFilePaths): Promise<ReadableStream<Uint8Array>> {
  const stdout = await openSnapshot(paths.stdout)
  let stderr: FileSnapshot | undefined
  try {
    stderr = await openSnapshot(paths.stderr)
  } catch (error) {
    await stdout?.handle.close()
    throw error
  }

  return createJsonStream([
    '{"stdout":"',
    stdout ? createFileSegment(stdout) : '',
    '","stderr":"',
    stderr ? createFileSegment(stderr) : '',
    '"}\n',
  ])
}

interface FileSnapshot {
  handle: FileHandle
  size: number
}

/** Yields escaped JSON string content, one chunk per call, then undefined once done. */
interface FileSegment {
  next(): Promise<string | undefined>
  close(): Promise<void>
}

type Segment = string | FileSegment

async function openSnapshot(path: string): Promise<FileSnapshot | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (isMissingFileError(error)) {
      return undefined
    }

    throw error
  }

  try {
    const { size } = await handle.stat()
    return { handle, size }
  } catch (error) {
    await handle.close()
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
    if (!isClosed) {
      isClosed = true
      await snapshot.handle.close()
    }
  }

  const next = async (): Promise<string | undefined> => {
    if (isClosed) {
      return undefined
    }

    const length = Math.min(CHUNK_BYTES, snapshot.size - position)
    const { bytesRead } =
      length > 0 ? await snapshot.handle.read(buffer, 0, length, position) : { bytesRead: 0 }
    position += bytesRead
    // A file truncated after the request arrived ends early instead of being waited for.
    if (bytesRead === 0) {
      const rest = decoder.decode()
      await close()
      return escapeJsonText(rest)
    }

    return escapeJsonText(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }))
  }

  return { next, close }
}

/** The content of a JSON string literal; `<`, `>` and `&` stay literal (SPEC §8.3). */
function escapeJsonText(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

function isFile(segment: Segment): segment is FileSegment {
  return typeof segment !== 'string'
}

function isMissingFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
