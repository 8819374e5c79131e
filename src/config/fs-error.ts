// Go-style texts for file system errors (`open <path>: no such file or directory`), so messages
// read like the Go original's and carry no Node-specific decoration.
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
}

/** `<operation> <path>: <reason>` for a failed fs call. */
export function describeFsError(error: unknown, operation: string, path: string): string {
  const code = errorCode(error)
  const reason = code === undefined ? undefined : REASONS[code]
  if (reason !== undefined) {
    return `${operation} ${path}: ${reason}`
  }

  return `${operation} ${path}: ${error instanceof Error ? error.message : String(error)}`
}

/** The `code` of a Node-style system error, e.g. `ENOENT`. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return undefined
  }

  return typeof error.code === 'string' ? error.code : undefined
}
