import { Elysia } from 'elysia'
import { JOB_STATUSES, type JobStatus, jobStatus } from '../events/index.ts'
import type { JobState, SchedulerApi } from '../scheduler/index.ts'
import { PrunnerError } from '../shared/errors.ts'
import { authenticatedUser } from './guard.ts'
import { canonicalJobId } from './job-id.ts'
import { toJobJson } from './job-json.ts'
import { parseCount, queryParam } from './query-params.ts'
import { errorJsonResponse, jsonResponse } from './responses.ts'
import { EXTRA_ROUTES } from './route-table.ts'

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 500

/** A position in the newest-first order: a job's `created` time and acceptance number. */
interface Position {
  created: number
  seq: number
}

interface PageQuery {
  pipeline: string | null
  statuses: ReadonlySet<JobStatus> | null
  limit: number
  /** A `next` cursor, or a job id to continue after. */
  before: Position | string | null
}

const CURSOR = /^(\d{1,15})\.(\d{1,15})$/

/**
 * `GET /jobs`: the job list of `/pipelines/jobs` in pages, newest first, optionally filtered.
 * `next` is the cursor to pass as `before` for the following page, null on the last one. It is
 * a position (`<created ms>.<acceptance number>`), not a job id, so paging goes on when
 * retention removes the job a cursor came from.
 */
export function jobsPageRoutes(scheduler: SchedulerApi) {
  return new Elysia().get(EXTRA_ROUTES.jobs, ({ request }) => {
    authenticatedUser(request)
    const query = readQuery(request)
    if (typeof query === 'string') {
      return errorJsonResponse(400, query)
    }

    const { jobs, hasMore } = selectPage(scheduler.listJobs(), query)
    const last = jobs.at(-1)
    return jsonResponse({
      jobs: jobs.map(toJobJson),
      next: hasMore && last !== undefined ? `${last.created}.${last.seq}` : null,
    })
  })
}

/** The query, or the error message for a 400. */
function readQuery(request: Request): PageQuery | string {
  const limitText = queryParam(request, 'limit')
  const limit = limitText === null || limitText === '' ? DEFAULT_PAGE_SIZE : parseCount(limitText)
  if (limit === undefined || limit < 1 || limit > MAX_PAGE_SIZE) {
    return `Invalid limit: expected 1 to ${MAX_PAGE_SIZE}`
  }

  const statusText = queryParam(request, 'status')
  const statuses = statusText === null || statusText === '' ? null : new Set(statusText.split(','))
  const unknown = [...(statuses ?? [])].find((status) => !isJobStatus(status))
  if (unknown !== undefined) {
    return `Invalid status "${unknown}": expected ${JOB_STATUSES.join(', ')}`
  }

  const before = readBefore(queryParam(request, 'before'))
  if (before === undefined) {
    return 'Invalid before: expected a next cursor or a job id'
  }

  const pipeline = queryParam(request, 'pipeline')
  return {
    pipeline: pipeline === '' ? null : pipeline,
    statuses: statuses as ReadonlySet<JobStatus> | null,
    limit,
    before,
  }
}

function readBefore(text: string | null): Position | string | null | undefined {
  if (text === null || text === '') {
    return null
  }

  const cursor = CURSOR.exec(text)
  if (cursor !== null) {
    return { created: Number(cursor[1]), seq: Number(cursor[2]) }
  }

  return canonicalJobId(text)
}

function selectPage(all: JobState[], query: PageQuery): { jobs: JobState[]; hasMore: boolean } {
  const start = startIndex(all, query.before)
  const jobs: JobState[] = []
  for (let i = start; i < all.length; i++) {
    const job = all[i] as JobState
    if (!matches(job, query)) {
      continue
    }

    if (jobs.length === query.limit) {
      return { jobs, hasMore: true }
    }

    jobs.push(job)
  }
  return { jobs, hasMore: false }
}

/** Index of the first job after `before` in the newest-first list. */
function startIndex(all: JobState[], before: Position | string | null): number {
  if (before === null) {
    return 0
  }

  if (typeof before === 'string') {
    const index = all.findIndex((job) => job.id === before)
    if (index === -1) {
      throw new PrunnerError('JOB_NOT_FOUND', `job ${before} not found`)
    }

    return index + 1
  }

  const index = all.findIndex(
    (job) =>
      job.created < before.created || (job.created === before.created && job.seq < before.seq),
  )
  return index === -1 ? all.length : index
}

function matches(job: JobState, query: PageQuery): boolean {
  if (query.pipeline !== null && job.pipeline !== query.pipeline) {
    return false
  }

  return query.statuses === null || query.statuses.has(jobStatus(job))
}

function isJobStatus(text: string): text is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(text)
}
