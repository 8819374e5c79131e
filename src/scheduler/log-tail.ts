import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

/** The on_error handler sees at most this much of the failed task's output (SPEC §5.9). */
export const LOG_TAIL_BYTES = 64 * 1024

/** Last `maxBytes` of a log file as text (invalid UTF-8 replaced); '' when the file is missing. */
export function readLogTail(path: string, maxBytes = LOG_TAIL_BYTES): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return ''
  }

  try {
    const size = fstatSync(fd).size
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, size - length)
    return new TextDecoder().decode(buffer)
  } finally {
    closeSync(fd)
  }
}
