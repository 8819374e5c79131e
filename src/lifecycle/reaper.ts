import type { Logger } from '../log/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { openLibc } from '../shared/libc.ts'
import { listProcesses, type ProcStat } from '../shared/proc.ts'

const PR_SET_CHILD_SUBREAPER = 36
const WNOHANG = 1
/** SIGCHLDs arriving close together are handled by one scan. */
const SCAN_DELAY_MS = 20

export interface ZombieReaper {
  /** Reaps whatever is reapable now (also run on every SIGCHLD). */
  scan(): number
  stop(): void
}

interface Libc {
  prctl(option: number, arg: number): number
  waitpid(pid: number): number
}

/**
 * Reaps orphaned grandchildren that were re-parented to prunner (SPEC §10.4): as PID 1 every
 * orphan of the container lands here, and Bun only waits for the children it spawned itself.
 * Linux only; undefined elsewhere or when libc cannot be loaded (logged).
 *
 * Never `waitpid(-1)`: it would take the exit status of a task shell away from Bun, and the
 * task would never finish. Only zombies whose parent is prunner and that are not task shells
 * are waited for, each by its own pid.
 */
export async function startZombieReaper(options: {
  logger: Logger
  isTaskShell: (pid: number) => boolean
  /** Injected by tests. */
  processes?: () => ProcStat[]
}): Promise<ZombieReaper | undefined> {
  const { logger } = options
  if (process.platform !== 'linux') {
    return undefined
  }

  const libc = await loadLibc(logger)
  if (libc === undefined) {
    return undefined
  }

  // As PID 1 this changes nothing. Elsewhere it makes orphans of our tasks come to this process
  // instead of the system's init, so the reaper then cleans up after tasks in any process.
  const isSubreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1) === 0
  if (!isSubreaper) {
    logger.warn('becoming child subreaper failed')
  }

  const scan = (): number => reapZombies({ ...options, libc })
  let timer: ReturnType<typeof setTimeout> | undefined
  const onChild = (): void => {
    timer ??= setTimeout(() => {
      timer = undefined
      scan()
    }, SCAN_DELAY_MS)
  }
  process.on('SIGCHLD', onChild)
  logger.debug('zombie reaper started')
  return {
    scan,
    stop: () => {
      process.off('SIGCHLD', onChild)
      clearTimeout(timer)
      if (isSubreaper) {
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0)
      }
    },
  }
}

function reapZombies(options: {
  libc: Libc
  isTaskShell: (pid: number) => boolean
  processes?: () => ProcStat[]
}): number {
  let reaped = 0
  for (const stat of (options.processes ?? listProcesses)()) {
    if (stat.state !== 'Z' || stat.ppid !== process.pid || options.isTaskShell(stat.pid)) {
      continue
    }

    // -1 (ECHILD) means someone else reaped it first; nothing to do then.
    if (options.libc.waitpid(stat.pid) === stat.pid) {
      reaped++
    }
  }
  return reaped
}

async function loadLibc(logger: Logger): Promise<Libc | undefined> {
  const { FFIType } = await import('bun:ffi')
  const libc = openLibc({
    prctl: {
      args: [FFIType.i32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u64],
      returns: FFIType.i32,
    },
    waitpid: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  })
  if (!libc.ok) {
    logger.warn('zombie reaper unavailable', { error: errorMessage(libc.error) })
    return undefined
  }

  const { symbols } = libc
  const status = new Int32Array(1)
  return {
    prctl: (option, arg) => symbols.prctl(option, arg, 0, 0, 0),
    waitpid: (pid) => symbols.waitpid(pid, status, WNOHANG),
  }
}
