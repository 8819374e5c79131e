import { existsSync } from 'node:fs'
import { listProcesses, readProcStat } from '../shared/proc.ts'

export type GroupSignal = 'SIGINT' | 'SIGKILL'

/**
 * Whether any process of group `pgid` has not exited yet. Zombies count as exited: an orphan
 * that nobody reaps must not keep its task open (SPEC §6.7).
 */
export function isGroupAlive(pgid: number): boolean {
  // The cheap probe first: an empty group (the usual case once a shell has exited) needs no
  // scan of /proc, which costs a read per process on the machine.
  if (!probeGroup(pgid)) {
    return false
  }

  if (process.platform === 'linux') {
    const alive = scanProcForLiveMember(pgid)
    if (alive !== undefined) {
      return alive
    }
  }

  return true
}

/**
 * Whether prunner may signal group `pgid` at all. Group 0 and -1 would mean "my own group" and
 * "every process" to kill(2), and prunner must never signal its own group.
 */
export function isSignalableGroup(pgid: number): boolean {
  return Number.isInteger(pgid) && pgid > 1 && pgid !== process.pid && pgid !== ownGroupId()
}

/** Sends `signal` to every member of group `pgid`; false when nothing was sent. */
export function signalGroup(pgid: number, signal: GroupSignal): boolean {
  if (!isSignalableGroup(pgid)) {
    return false
  }

  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    // ESRCH: every member is gone already, which is what the signal was for.
    return false
  }
}

let cachedOwnGroupId: number | undefined | null = null

function ownGroupId(): number | undefined {
  if (cachedOwnGroupId === null) {
    cachedOwnGroupId = readOwnGroupId()
  }

  return cachedOwnGroupId
}

// Without /proc the pid comparison in isSignalableGroup is the remaining guard.
function readOwnGroupId(): number | undefined {
  return process.platform === 'linux' ? readProcStat(process.pid)?.pgid : undefined
}

/** undefined when /proc cannot be listed, so the caller falls back to the probe signal. */
function scanProcForLiveMember(pgid: number): boolean | undefined {
  if (!existsSync('/proc/self/stat')) {
    return undefined
  }

  return listProcesses().some(
    (stat) => stat.pgid === pgid && stat.state !== 'Z' && stat.state !== 'X',
  )
}

/** Signal 0 checks existence only; it also sees zombies, so this is the fallback off Linux. */
function probeGroup(pgid: number): boolean {
  if (!isSignalableGroup(pgid)) {
    return false
  }

  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
