import type { Database, Statement } from 'bun:sqlite'
import type { Logger } from '../log/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import type { JobState, TaskState } from './job-types.ts'
import {
  fromJobRow,
  fromTaskRow,
  type JobRow,
  type JobStateRow,
  type TaskRow,
  toJobRow,
  toJobStateRow,
  toTaskRow,
} from './rows.ts'
import { TaskProcesses } from './task-processes.ts'
import type { Store, TaskProcessRecord } from './types.ts'

const JOB_COLUMNS = [
  'id',
  'seq',
  'pipeline',
  'created_ms',
  'start_ms',
  'end_ms',
  'completed',
  'canceled',
  'last_error',
  'variables_json',
  'user_name',
  'queue_partition',
  'snapshot_json',
]

const TASK_COLUMNS = [
  'job_id',
  'position',
  'name',
  'depends_on_json',
  'status',
  'start_ms',
  'end_ms',
  'exit_code',
  'errored',
  'error',
]

/** Jobs and tasks on an open, migrated and locked database. Statements are prepared once. */
export class SqliteStore implements Store {
  readonly isNew: boolean
  readonly #db: Database
  readonly #logger: Logger
  readonly #insertJob: Statement<unknown, [JobRow]>
  readonly #upsertJob: Statement<unknown, [JobRow]>
  readonly #updateJobState: Statement<unknown, [JobStateRow]>
  readonly #upsertTask: Statement<unknown, [TaskRow]>
  readonly #deleteTasksFrom: Statement<unknown, [{ job_id: string; position: number }]>
  readonly #deleteJob: Statement<unknown, [{ id: string }]>
  readonly #selectJobs: Statement<JobRow, []>
  readonly #selectTasks: Statement<TaskRow, []>
  readonly #insertTransaction: (job: JobState, replaced: JobState[]) => void
  readonly #saveTransaction: (jobs: JobState[]) => void
  readonly #deleteTransaction: (id: string) => void
  readonly #importTransaction: (jobs: JobState[]) => void
  readonly #selectImportState: Statement<{ value: string }, []>
  readonly #taskProcesses: TaskProcesses
  #isClosed = false

  constructor(options: { db: Database; logger: Logger; isNew: boolean }) {
    const { db } = options
    this.#db = db
    this.#logger = options.logger
    this.isNew = options.isNew

    this.#insertJob = db.prepare(insertSql('jobs', JOB_COLUMNS))
    this.#upsertJob = db.prepare(upsertSql('jobs', JOB_COLUMNS, ['id']))
    this.#updateJobState = db.prepare(
      'UPDATE jobs SET start_ms = $start_ms, end_ms = $end_ms, completed = $completed, ' +
        'canceled = $canceled, last_error = $last_error WHERE id = $id',
    )
    this.#upsertTask = db.prepare(upsertSql('tasks', TASK_COLUMNS, ['job_id', 'position']))
    this.#deleteTasksFrom = db.prepare(
      'DELETE FROM tasks WHERE job_id = $job_id AND position >= $position',
    )
    this.#deleteJob = db.prepare('DELETE FROM jobs WHERE id = $id')
    this.#selectJobs = db.prepare(`SELECT ${JOB_COLUMNS.join(', ')} FROM jobs ORDER BY seq`)
    this.#selectTasks = db.prepare(
      `SELECT ${TASK_COLUMNS.join(', ')} FROM tasks ORDER BY job_id, position`,
    )

    this.#insertTransaction = db.transaction((job: JobState, replaced: JobState[]) => {
      this.#insertJob.run(toJobRow(job))
      this.#writeTasks(job)
      for (const other of replaced) {
        this.#writeJob(other)
      }
    })
    this.#saveTransaction = db.transaction((jobs: JobState[]) => {
      for (const job of jobs) {
        this.#writeJob(job)
      }
    })
    this.#deleteTransaction = db.transaction((id: string) => {
      this.#deleteTasksFrom.run({ job_id: id, position: 0 })
      this.#deleteJob.run({ id })
    })

    this.#selectImportState = db.prepare("SELECT value FROM meta WHERE key = 'data_json_import'")
    const markImported = db.prepare(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('data_json_import', 'done')",
    )
    this.#importTransaction = db.transaction((jobs: JobState[]) => {
      for (const job of jobs) {
        this.#writeJob(job)
      }
      markImported.run()
    })
    this.#taskProcesses = new TaskProcesses(db)
  }

  insertJob(job: JobState, replaced: JobState[]): void {
    this.#persist(() => this.#insertTransaction(job, replaced))
  }

  saveJob(job: JobState): void {
    this.#persist(() => this.#saveTransaction([job]))
  }

  saveJobs(jobs: JobState[]): void {
    this.#persist(() => this.#saveTransaction(jobs))
  }

  deleteJob(id: string): void {
    this.#persist(() => this.#deleteTransaction(id))
  }

  isDataJsonImportPending(): boolean {
    return this.#read('reading import state', () => {
      return this.#selectImportState.get()?.value === 'pending'
    })
  }

  importJobs(jobs: JobState[]): void {
    this.#persist(() => this.#importTransaction(jobs))
  }

  recordTaskProcess(record: TaskProcessRecord): void {
    this.#persist(() => this.#taskProcesses.record(record))
  }

  forgetTaskProcess(pgid: number): void {
    this.#persist(() => this.#taskProcesses.forget(pgid))
  }

  loadTaskProcesses(): TaskProcessRecord[] {
    return this.#read('reading task processes', () => this.#taskProcesses.load())
  }

  clearTaskProcesses(): void {
    this.#persist(() => this.#taskProcesses.clear())
  }

  loadJobs(): JobState[] {
    try {
      const tasksByJob = new Map<string, TaskState[]>()
      for (const row of this.#selectTasks.all()) {
        const tasks = tasksByJob.get(row.job_id) ?? []
        tasks.push(fromTaskRow(row))
        tasksByJob.set(row.job_id, tasks)
      }

      return this.#selectJobs.all().map((row) => fromJobRow(row, tasksByJob.get(row.id) ?? []))
    } catch (error) {
      throw new PrunnerError('DATABASE', `reading stored jobs: ${errorMessage(error)}`, {
        cause: error,
      })
    }
  }

  close(): void {
    if (this.#isClosed) {
      return
    }

    this.#isClosed = true
    // Plain close() leaves the connection, and with it the exclusive lock, open while prepared
    // statements are alive; `true` finalizes them so the lock is released now.
    try {
      this.#db.close(true)
    } catch (error) {
      throw new PrunnerError('DATABASE', `closing database: ${errorMessage(error)}`, {
        cause: error,
      })
    }
  }

  // Variables and the snapshot never change after acceptance, and may be large: a stored job
  // only gets its changing columns written, so a commit does not re-serialise them.
  #writeJob(job: JobState): void {
    if (this.#updateJobState.run(toJobStateRow(job)).changes === 0) {
      this.#upsertJob.run(toJobRow(job))
    }
    this.#writeTasks(job)
  }

  // Rows past the current list belong to tasks the job no longer has (rare, but the list is the
  // truth), so they go; the rest are updated in place by position.
  #writeTasks(job: JobState): void {
    job.tasks.forEach((task, position) => {
      this.#upsertTask.run(toTaskRow(job.id, task, position))
    })
    this.#deleteTasksFrom.run({ job_id: job.id, position: job.tasks.length })
  }

  #read<T>(what: string, read: () => T): T {
    try {
      return read()
    } catch (error) {
      throw new PrunnerError('DATABASE', `${what}: ${errorMessage(error)}`, { cause: error })
    }
  }

  // db.transaction has already rolled back when the error reaches us; the caller decides what a
  // failed write means (SPEC §9.4), so the error is rethrown with a code it can map.
  #persist(write: () => void): void {
    try {
      write()
    } catch (error) {
      this.#logger.error('persisting state failed', { error: errorMessage(error) })
      throw new PrunnerError('STORE_FAILED', `persisting state failed: ${errorMessage(error)}`, {
        cause: error,
      })
    }
  }
}

function insertSql(table: string, columns: string[]): string {
  const values = columns.map((column) => `$${column}`)
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')})`
}

function upsertSql(table: string, columns: string[], key: string[]): string {
  const updates = columns
    .filter((column) => !key.includes(column))
    .map((column) => `${column} = excluded.${column}`)
  return `${insertSql(table, columns)} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
}
