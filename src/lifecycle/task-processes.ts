import type { Logger } from '../log/index.ts'
import type { JobState, TaskState } from '../scheduler/index.ts'
import { readBootId, readProcStat } from '../shared/proc.ts'
import type { Store } from '../store/index.ts'

/** Scheduler hooks that keep the store's list of live task process groups current. */
export interface TaskProcessTracker {
  onTaskSpawned(job: JobState, task: TaskState, pid: number): void
  onTaskExited(job: JobState, task: TaskState): void
  /** Whether `pid` is a task shell that Bun spawned and still waits for (for the reaper). */
  isTaskShell(pid: number): boolean
}

/**
 * Records each task shell's pgid and start time when it is spawned and forgets it when the task
 * ends (the executor only reports the end once the whole group is gone), so after a crash the
 * records name exactly the groups that may still be alive.
 */
export function createTaskProcessTracker(options: {
  store: Pick<Store, 'recordTaskProcess' | 'forgetTaskProcess'>
  logger: Logger
}): TaskProcessTracker {
  const { store } = options
  const bootId = readBootId()
  const pidsByTask = new Map<TaskState, number>()
  const shells = new Set<number>()
  return {
    onTaskSpawned: (job, task, pid) => {
      pidsByTask.set(task, pid)
      shells.add(pid)
      // A shell that already exited has no stat; its group is then watched by the executor alone.
      const stat = readProcStat(pid)
      if (stat === undefined || bootId === '') {
        return
      }

      try {
        store.recordTaskProcess({
          pgid: pid,
          jobId: job.id,
          task: task.name,
          startTicks: stat.startTicks,
          bootId,
        })
      } catch {
        // The store has logged `persisting state failed`; only crash cleanup of this group is lost.
      }
    },
    onTaskExited: (_job, task) => {
      const pid = pidsByTask.get(task)
      if (pid === undefined) {
        return
      }

      pidsByTask.delete(task)
      shells.delete(pid)
      try {
        store.forgetTaskProcess(pid)
      } catch {
        // Logged by the store; a stale record is harmless: the start-time check skips reused pids.
      }
    },
    isTaskShell: (pid) => shells.has(pid),
  }
}
