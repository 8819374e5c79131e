import { type FileHandle, open } from 'node:fs/promises'

/**
 * Reads up to `length` bytes at `position` into `buffer`; 0 at the end or when the file does
 * not exist (yet, or any more). The handle lives for this one read only, so a client that
 * abandons a response leaves no descriptor behind (Bun treats a FileHandle closed by the
 * garbage collector as an uncaught error).
 */
export async function readFileChunk(options: {
  path: string
  buffer: Uint8Array
  position: number
  length?: number
}): Promise<number> {
  const { path, buffer, position } = options
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (isMissingFileError(error)) {
      return 0
    }

    throw error
  }

  try {
    const { bytesRead } = await handle.read(buffer, 0, options.length ?? buffer.length, position)
    return bytesRead
  } finally {
    await handle.close()
  }
}

export function isMissingFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
