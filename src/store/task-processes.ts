import type { Database, Statement } from 'bun:sqlite'
import type { TaskProcessRecord } from './types.ts'

type TaskProcessRow = {
  pgid: number
  job_id: string
  task: string
  start_ticks: number
  boot_id: string
}

/** Statements on the `task_processes` table; each write is its own implicit transaction. */
export class TaskProcesses {
  readonly #upsert: Statement<unknown, [TaskProcessRow]>
  readonly #delete: Statement<unknown, [{ pgid: number }]>
  readonly #select: Statement<TaskProcessRow, []>
  readonly #clear: Statement<unknown, []>

  constructor(db: Database) {
    this.#upsert = db.prepare(
      'INSERT OR REPLACE INTO task_processes (pgid, job_id, task, start_ticks, boot_id) ' +
        'VALUES ($pgid, $job_id, $task, $start_ticks, $boot_id)',
    )
    this.#delete = db.prepare('DELETE FROM task_processes WHERE pgid = $pgid')
    this.#select = db.prepare(
      'SELECT pgid, job_id, task, start_ticks, boot_id FROM task_processes ORDER BY pgid',
    )
    this.#clear = db.prepare('DELETE FROM task_processes')
  }

  record(record: TaskProcessRecord): void {
    this.#upsert.run({
      pgid: record.pgid,
      job_id: record.jobId,
      task: record.task,
      start_ticks: record.startTicks,
      boot_id: record.bootId,
    })
  }

  forget(pgid: number): void {
    this.#delete.run({ pgid })
  }

  load(): TaskProcessRecord[] {
    return this.#select.all().map((row) => ({
      pgid: row.pgid,
      jobId: row.job_id,
      task: row.task,
      startTicks: row.start_ticks,
      bootId: row.boot_id,
    }))
  }

  clear(): void {
    this.#clear.run()
  }
}
