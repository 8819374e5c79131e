import { readdirSync, readFileSync } from 'node:fs'

/** The fields of `/proc/<pid>/stat` that prunner needs (Linux only). */
export interface ProcStat {
  pid: number
  /** One letter: R, S, D, Z (zombie), T, X, ... */
  state: string
  ppid: number
  pgid: number
  /** Field 22: start time in clock ticks since boot; never changes while the process lives. */
  startTicks: number
}

/** The stat of one process; undefined when it does not exist (any more) or /proc is missing. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'))
  } catch {
    // The process is gone, or this is not Linux: both mean "nothing to look at".
    return undefined
  }
}

/** Every process visible in /proc; empty when /proc cannot be listed. */
export function listProcesses(): ProcStat[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }

  const processes: ProcStat[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue
    }

    const stat = readProcStat(Number(entry))
    if (stat !== undefined) {
      processes.push(stat)
    }
  }
  return processes
}

/** This boot's id; start ticks of different boots must never be compared. '' when unknown. */
export function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()
  } catch {
    return ''
  }
}

/**
 * `pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
 * cutime cstime priority nice threads itrealvalue starttime ...`. comm may hold spaces and
 * parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')')
  const pid = Number(text.slice(0, text.indexOf(' ')))
  const fields = text.slice(close + 2).split(' ')
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const state = fields[0]
  const ppid = Number(fields[1])
  const pgid = Number(fields[2])
  const startTicks = Number(fields[19])
  if (close < 0 || state === undefined || ![pid, ppid, pgid, startTicks].every(Number.isInteger)) {
    return undefined
  }

  return { pid, state, ppid, pgid, startTicks }
}
