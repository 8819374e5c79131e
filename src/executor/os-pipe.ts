import { FFIType, read } from 'bun:ffi'
import { constants } from 'node:os'
import { openLibc } from '../shared/libc.ts'

/** Both ends of one kernel pipe; both descriptors are close-on-exec. */
export interface PipeFds {
  readFd: number
  writeFd: number
}

/**
 * Creates a kernel pipe through libc's pipe2(), or returns undefined where that is not available
 * (not Linux, or no libc found); throws when pipe2() itself fails, for example with EMFILE.
 *
 * Why not Bun.spawn's 'pipe': on Linux it hands the child a socketpair, and opening
 * /proc/self/fd/1 of a socket fails with ENXIO, so `echo x > /dev/stdout` and
 * `tee /dev/stderr` break inside tasks. macOS opens /dev/fd/N by duplicating the descriptor,
 * which works for sockets, so it keeps Bun's pipes.
 */
export function createPipe(): PipeFds | undefined {
  const libc = loadLibc()
  if (libc === undefined) {
    return undefined
  }

  const fds = new Int32Array(2)
  if (libc.pipe2(fds, O_CLOEXEC) !== 0) {
    throw errnoError(libc.errno(), 'pipe2')
  }

  return { readFd: fds[0] ?? -1, writeFd: fds[1] ?? -1 }
}

/** O_CLOEXEC on Linux: no child but the one the end is handed to may inherit it. */
const O_CLOEXEC = 0o2000000

interface Libc {
  pipe2(fds: Int32Array, flags: number): number
  errno(): number
}

let cachedLibc: Libc | undefined | null = null

function loadLibc(): Libc | undefined {
  if (cachedLibc === null) {
    cachedLibc = openPipeLibc()
  }

  return cachedLibc
}

// Without libc (not Linux, or an unknown C library) Bun's own pipes are the fallback.
function openPipeLibc(): Libc | undefined {
  const libc = openLibc({
    pipe2: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  })
  if (!libc.ok) {
    return undefined
  }

  const { symbols } = libc
  return {
    pipe2: (fds, flags) => symbols.pipe2(fds, flags),
    errno: () => {
      const pointer = symbols.__errno_location()
      return pointer === null ? 0 : read.i32(pointer)
    },
  }
}

function errnoError(errno: number, syscall: string): NodeJS.ErrnoException {
  const code = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0]
  const error: NodeJS.ErrnoException = new Error(`${syscall} failed: ${code ?? `errno ${errno}`}`)
  error.code = code
  error.errno = errno
  error.syscall = syscall
  return error
}
