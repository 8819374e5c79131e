import { readdirSync, readFileSync } from 'node:fs'

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

function readOwnGroupId(): number | undefined {
  if (process.platform !== 'linux') {
    return undefined
  }

  try {
    return parseStat(readFileSync('/proc/self/stat', 'latin1'))?.pgid
  } catch {
    // Without /proc the pid comparison in isSignalableGroup is the remaining guard.
    return undefined
  }
}

/** undefined when /proc cannot be listed, so the caller falls back to a probe signal. */
function scanProcForLiveMember(pgid: number): boolean | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }

  for (const entry of entries) {
    const code = entry.charCodeAt(0)
    if (code < 48 || code > 57) {
      continue
    }

    const stat = readStat(entry)
    if (stat !== undefined && stat.pgid === pgid && stat.state !== 'Z' && stat.state !== 'X') {
      return true
    }
  }

  return false
}

function readStat(pid: string): { state: string; pgid: number } | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'))
  } catch {
    // The process exited between the listing and the read.
    return undefined
  }
}

/** `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses, so split after the last `)`. */
function parseStat(text: string): { state: string; pgid: number } | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const state = fields[0]
  const pgid = Number(fields[2])
  return state === undefined || !Number.isInteger(pgid) ? undefined : { state, pgid }
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
