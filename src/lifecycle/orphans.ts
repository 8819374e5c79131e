import type { Logger } from '../log/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { listProcesses, type ProcStat, readBootId } from '../shared/proc.ts'
import type { Store, TaskProcessRecord } from '../store/index.ts'

/**
 * Kills what is left of the task process groups of a prunner that died without a shutdown
 * (kill -9, OOM, power cut of a container), then forgets the records (SPEC §9.5, issue 5).
 * Runs at startup before any task of this run is spawned. Returns the pids that were killed.
 */
export function killLeftoverTaskGroups(options: {
  store: Pick<Store, 'loadTaskProcesses' | 'clearTaskProcesses'>
  logger: Logger
  /** Injected by tests; defaults to a /proc scan and this boot's id. */
  processes?: () => ProcStat[]
  bootId?: string
  kill?: (pid: number) => void
}): number[] {
  const { store, logger } = options
  const records = store.loadTaskProcesses()
  if (records.length === 0) {
    return []
  }

  const victims = findLeftoverMembers({
    records,
    processes: (options.processes ?? listProcesses)(),
    bootId: options.bootId ?? readBootId(),
  })
  const kill = options.kill ?? killProcess
  for (const victim of victims) {
    try {
      kill(victim.pid)
      logger.warn('leftover task process killed', {
        pid: victim.pid,
        jobId: victim.record.jobId,
        task: victim.record.task,
      })
    } catch (error) {
      logger.warn('killing leftover task process failed', {
        pid: victim.pid,
        error: errorMessage(error),
      })
    }
  }

  store.clearTaskProcesses()
  return victims.map((victim) => victim.pid)
}

/**
 * The processes that certainly belong to a recorded group. A pid is not reused while it is any
 * process's pgid, so a live member with the recorded pgid belongs to the old group, unless the
 * whole group died and the number came back as a new group: then its leader (pid = pgid) or its
 * members started after the record, and the leader check below catches the common case; members
 * started before the record can never belong to a group created after it.
 */
export function findLeftoverMembers(options: {
  records: TaskProcessRecord[]
  processes: ProcStat[]
  bootId: string
}): { pid: number; record: TaskProcessRecord }[] {
  const { processes, bootId } = options
  const byPid = new Map(processes.map((stat) => [stat.pid, stat]))
  const victims: { pid: number; record: TaskProcessRecord }[] = []
  for (const record of options.records) {
    // Start ticks restart at zero with every boot; an unknown boot id cannot be trusted either.
    if (bootId === '' || record.bootId !== bootId || record.pgid <= 1) {
      continue
    }

    const leader = byPid.get(record.pgid)
    if (leader !== undefined && leader.startTicks !== record.startTicks) {
      continue
    }

    for (const stat of processes) {
      const isMember = stat.pgid === record.pgid && stat.startTicks >= record.startTicks
      if (isMember && stat.pid !== process.pid && stat.state !== 'Z') {
        victims.push({ pid: stat.pid, record })
      }
    }
  }
  return victims
}

function killProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch (error) {
    // ESRCH: it exited between the scan and the signal, which is the outcome we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error
    }
  }
}
