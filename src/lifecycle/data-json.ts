import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log/index.ts'
import type { JobState, TaskState, TaskStatus } from '../scheduler/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import type { Store } from '../store/index.ts'

const DATA_JSON_FILE = 'data.json'

const NOT_STARTED = 'interrupted: prunner stopped before the job started'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const STATUSES: readonly TaskStatus[] = [
  'waiting',
  'running',
  'done',
  'error',
  'canceled',
  'skipped',
]

/**
 * The one-time import of a Go prunner's `<data>/data.json` into a database this prunner has just
 * created (SPEC §9.7). Runs before restart recovery, which then interrupts the imported jobs that
 * were running. `data.json` is only read, so the Go prunner can still use the directory. A
 * failure writes nothing and leaves the import pending for the next start.
 */
export function importDataJson(options: {
  store: Pick<Store, 'isDataJsonImportPending' | 'importJobs'>
  dataDir: string
  logger: Logger
}): void {
  const { store, logger } = options
  if (!store.isDataJsonImportPending()) {
    return
  }

  const file = join(options.dataDir, DATA_JSON_FILE)
  if (!existsSync(file)) {
    store.importJobs([])
    return
  }

  let jobs: JobState[]
  try {
    jobs = parseDataJson(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new PrunnerError('DATABASE', `importing data.json: ${errorMessage(error)}`, {
      cause: error,
    })
  }

  store.importJobs(jobs)
  logger.info('imported jobs from data.json', { count: jobs.length })
}

/** Go's `PersistedData` → jobs in acceptance order (by `Created`); throws with a reason. */
export function parseDataJson(text: string): JobState[] {
  const data: unknown = JSON.parse(text)
  if (!isObject(data)) {
    throw new Error('expected a JSON object')
  }

  const list = data.Jobs ?? []
  if (!Array.isArray(list)) {
    throw new Error('Jobs: expected an array')
  }

  const jobs = list.map((value: unknown, index) => {
    try {
      return toJob(value)
    } catch (error) {
      throw new Error(`Jobs[${index}]: ${errorMessage(error)}`)
    }
  })
  // Array.prototype.sort is stable, so equal times keep the file's order.
  jobs.sort((a, b) => a.created - b.created)
  jobs.forEach((job, index) => {
    job.seq = index + 1
  })
  return jobs
}

function toJob(value: unknown): JobState {
  const raw = requireObject(value, 'job')
  const id = requireString(raw.ID, 'ID').toLowerCase()
  // The id names the job's log directory, which retention deletes: only a real UUID may do that.
  if (!UUID.test(id)) {
    throw new Error(`ID: ${JSON.stringify(raw.ID)} is not a UUID`)
  }

  const tasks = (optionalArray(raw.Tasks, 'Tasks') ?? []).map((task, index) => {
    try {
      return toTask(task)
    } catch (error) {
      throw new Error(`Tasks[${index}]: ${errorMessage(error)}`)
    }
  })
  const job: JobState = {
    id,
    pipeline: requireString(raw.Pipeline, 'Pipeline'),
    seq: 0,
    created: requireTime(raw.Created, 'Created'),
    start: optionalTime(raw.Start, 'Start'),
    end: optionalTime(raw.End, 'End'),
    completed: optionalBoolean(raw.Completed, 'Completed'),
    canceled: optionalBoolean(raw.Canceled, 'Canceled'),
    user: optionalString(raw.User, 'User') ?? '',
    partition: '',
    snapshot: {
      tasks: tasks.map(({ definition }) => definition),
      env: {},
      startDelayMs: 0,
      continueRunningTasksAfterFailure: false,
    },
    tasks: tasks.map(({ state }) => state),
  }
  const variables = raw.Variables
  if (isObject(variables) && Object.keys(variables).length > 0) {
    job.variables = variables
  } else if (variables !== undefined && variables !== null && !isObject(variables)) {
    throw new Error('Variables: expected an object')
  }

  // A queued job cannot run again: the Go state lacks the environment snapshot it would need.
  if (!job.completed && !job.canceled && job.start === null) {
    job.canceled = true
    job.lastError = NOT_STARTED
    for (const task of job.tasks) {
      task.status = 'canceled'
    }
  }
  return job
}

function toTask(value: unknown): {
  state: TaskState
  definition: JobState['snapshot']['tasks'][number]
} {
  const raw = requireObject(value, 'task')
  const name = requireString(raw.Name, 'Name')
  const dependsOn = (optionalArray(raw.DependsOn, 'DependsOn') ?? []).map((item) =>
    requireString(item, 'DependsOn'),
  )
  const status = (optionalString(raw.Status, 'Status') ?? 'waiting') as TaskStatus
  if (!STATUSES.includes(status)) {
    throw new Error(`Status: unknown value ${JSON.stringify(raw.Status)}`)
  }

  const exitCode = raw.ExitCode ?? 0
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) {
    throw new Error('ExitCode: expected an integer')
  }

  const state: TaskState = {
    name,
    dependsOn,
    status,
    start: optionalTime(raw.Start, 'Start'),
    end: optionalTime(raw.End, 'End'),
    // The Go original stores -1 for tasks that never reported a code, also for successful ones.
    exitCode: status === 'done' && exitCode === -1 ? 0 : exitCode,
    errored: optionalBoolean(raw.Errored, 'Errored'),
  }
  const error = optionalString(raw.Error, 'Error')
  if (error !== undefined) {
    state.error = error
  }

  const script = (optionalArray(raw.Script, 'Script') ?? []).map((line) =>
    requireString(line, 'Script'),
  )
  return {
    state,
    definition: {
      name,
      script,
      dependsOn: [...dependsOn],
      allowFailure: optionalBoolean(raw.AllowFailure, 'AllowFailure'),
      env: {},
    },
  }
}

// Go's time.Time JSON: RFC 3339 with up to nine fraction digits and a Z or ±hh:mm offset.
// Date.parse does not promise to accept more than three fraction digits, so it is parsed here.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i

function requireTime(value: unknown, field: string): number {
  const text = requireString(value, field)
  const match = RFC3339.exec(text)
  if (match === null) {
    throw new Error(`${field}: ${JSON.stringify(text)} is not an RFC 3339 time`)
  }

  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match
  const date = new Date(0)
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
  date.setUTCHours(
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  )
  return date.getTime() - offsetMs(zone)
}

function offsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') {
    return 0
  }

  const sign = zone.startsWith('-') ? -1 : 1
  const [hours, minutes] = zone.slice(1).split(':').map(Number)
  return sign * ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000
}

function optionalTime(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : requireTime(value, field)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (!isObject(value)) {
    throw new Error(`expected a ${what} object`)
  }

  return value
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${field}: expected a string`)
  }

  return value
}

function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, field)
}

function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) {
    return false
  }

  if (typeof value !== 'boolean') {
    throw new Error(`${field}: expected true or false`)
  }

  return value
}

function optionalArray(value: unknown, field: string): unknown[] | undefined {
  if (value === undefined || value === null) {
    return undefined
  }

  if (!Array.isArray(value)) {
    throw new Error(`${field}: expected an array`)
  }

  return value
}
