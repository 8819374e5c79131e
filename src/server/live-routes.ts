import { Elysia } from 'elysia'
import { createEventStream, type EventHub, isTaskFinished } from '../events/index.ts'
import { isJobFinished, type SchedulerApi } from '../scheduler/index.ts'
import { PrunnerError } from '../shared/errors.ts'
import { authenticatedUser } from './guard.ts'
import { canonicalJobId } from './job-id.ts'
import { createLogFollowStream } from './log-follow.ts'
import { parseCount, queryParam } from './query-params.ts'
import { errorJsonResponse } from './responses.ts'
import { EXTRA_ROUTES } from './route-table.ts'

export interface LiveRouteOptions {
  scheduler: SchedulerApi
  events?: EventHub
  heartbeatMs?: number
  logPollMs?: number
}

/** `GET /events` (when a hub is given) and `GET /job/logs/stream`: the live surfaces. */
export function liveRoutes(options: LiveRouteOptions) {
  const app = new Elysia().get(EXTRA_ROUTES.logStream, ({ request }) => followLog(options, request))
  const { events } = options
  return events === undefined
    ? app
    : app.get(EXTRA_ROUTES.events, ({ request }) => eventStream(options, events, request))
}

function eventStream(options: LiveRouteOptions, hub: EventHub, request: Request): Response {
  authenticatedUser(request)
  const job = queryParam(request, 'job')
  const jobId = job === null || job === '' ? undefined : canonicalJobId(job)
  if (job !== null && job !== '' && jobId === undefined) {
    return errorJsonResponse(400, 'Invalid job id')
  }

  const body = createEventStream({
    hub,
    lastEventId: request.headers.get('last-event-id') ?? '',
    ...(jobId === undefined ? {} : { jobId }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    shouldClose: () => isStopping(options.scheduler),
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Reverse proxies must pass each event on at once.
      'X-Accel-Buffering': 'no',
    },
  })
}

function followLog(options: LiveRouteOptions, request: Request): Response {
  authenticatedUser(request)
  const { scheduler } = options
  const id = canonicalJobId(queryParam(request, 'id'))
  if (id === undefined) {
    return errorJsonResponse(400, 'Invalid job id')
  }

  const task = queryParam(request, 'task') ?? ''
  if (task === '') {
    return errorJsonResponse(400, 'Invalid task name')
  }

  const stream = queryParam(request, 'stream') ?? 'stdout'
  if (stream !== 'stdout' && stream !== 'stderr') {
    return errorJsonResponse(400, 'Invalid stream')
  }

  const offset = parseCount(queryParam(request, 'offset') ?? '0')
  if (offset === undefined) {
    return errorJsonResponse(400, 'Invalid offset')
  }

  const job = scheduler.getJob(id)
  if (job === undefined) {
    throw new PrunnerError('JOB_NOT_FOUND', `job ${id} not found`)
  }

  if (!job.tasks.some((candidate) => candidate.name === task)) {
    throw new PrunnerError('TASK_NOT_FOUND', `task "${task}" not found in job ${id}`)
  }

  const body = createLogFollowStream({
    path: scheduler.logFiles(id, task)[stream],
    offset,
    isDone: () => isTaskOver(scheduler, id, task),
    ...(options.logPollMs === undefined ? {} : { pollMs: options.logPollMs }),
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

/** No more output can come: the task or its job ended, the job is gone, or prunner stops. */
function isTaskOver(scheduler: SchedulerApi, jobId: string, taskName: string): boolean {
  const job = scheduler.getJob(jobId)
  const task = job?.tasks.find((candidate) => candidate.name === taskName)
  if (job === undefined || task === undefined || isJobFinished(job)) {
    return true
  }

  return isTaskFinished(task.status) || (isStopping(scheduler) && task.status !== 'running')
}

/**
 * A graceful shutdown waits for open responses: long-lived streams end once no job runs any
 * more, so they do not hold the server open after the scheduler has finished.
 */
function isStopping(scheduler: SchedulerApi): boolean {
  return scheduler.isShuttingDown() && scheduler.counts().running === 0
}
