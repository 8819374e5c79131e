import { isJobFinished, type JobState, type TaskState } from '../scheduler/index.ts'
import { formatApiTime, formatApiTimeOrNull } from '../shared/time.ts'
import { RawJson, sortedCopy, stringifyJson } from './json.ts'

/** A task as the API shows it (SPEC §8.4); optional keys are absent rather than undefined. */
export interface TaskJson {
  name: string
  dependsOn?: string[]
  status: string
  start: string | null
  end: string | null
  skipped: boolean
  exitCode: number
  errored: boolean
  error?: string
}

/** A job as the API shows it (SPEC §8.4), keys in wire order. */
export interface JobJson {
  id: string
  pipeline: string
  tasks: TaskJson[]
  completed: boolean
  canceled: boolean
  errored: boolean
  created: string
  start: string | null
  end: string | null
  lastError?: string
  variables?: Record<string, unknown>
  user: string
}

/**
 * The wire shape of a job with keys in the order of SPEC §8.4. Serialise it with the server's
 * JSON writer to get `variables` keys sorted byte-wise; JSON.stringify gets the same shape.
 */
export function toJobJson(job: JobState): JobJson {
  const hasVariables = job.variables !== undefined && Object.keys(job.variables).length > 0
  return {
    id: job.id,
    pipeline: job.pipeline,
    tasks: job.tasks.map(toTaskJson),
    completed: job.completed,
    canceled: job.canceled,
    errored: job.tasks.some((task) => task.errored),
    created: formatApiTime(job.created),
    start: formatApiTimeOrNull(job.start),
    end: formatApiTimeOrNull(job.end),
    ...(job.lastError ? { lastError: job.lastError } : {}),
    ...(hasVariables ? { variables: sortedCopy(job.variables) as Record<string, unknown> } : {}),
    user: job.user,
  }
}

const finishedJobTexts = new WeakMap<JobState, RawJson>()

/**
 * A job for `/pipelines/jobs`, which clients poll every few seconds with thousands of retained
 * jobs: a finished job never changes again, so its JSON text is made once and reused.
 */
export function toJobListEntry(job: JobState): JobJson | RawJson {
  if (!isJobFinished(job)) {
    return toJobJson(job)
  }

  let text = finishedJobTexts.get(job)
  if (text === undefined) {
    text = new RawJson(stringifyJson(toJobJson(job)))
    finishedJobTexts.set(job, text)
  }
  return text
}

export function toTaskJson(task: TaskState): TaskJson {
  return {
    name: task.name,
    ...(task.dependsOn.length > 0 ? { dependsOn: [...task.dependsOn] } : {}),
    status: task.status,
    start: formatApiTimeOrNull(task.start),
    end: formatApiTimeOrNull(task.end),
    skipped: task.status === 'skipped',
    exitCode: task.exitCode,
    errored: task.errored,
    ...(task.error ? { error: task.error } : {}),
  }
}
