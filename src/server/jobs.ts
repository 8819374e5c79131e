import { Elysia } from 'elysia'
import type { JobState, SchedulerApi } from '../scheduler/index.ts'
import { PrunnerError } from '../shared/errors.ts'
import { authenticatedUser } from './guard.ts'
import { canonicalJobId } from './job-id.ts'
import { toJobJson } from './job-json.ts'
import { openLogsJsonStream } from './logs-stream.ts'
import { queryParam } from './query-params.ts'
import { errorJsonResponse, jsonResponse, jsonStreamResponse } from './responses.ts'

/** `/job/detail`, `/job/logs` and `/job/cancel` (SPEC §8.6). */
export function jobRoutes(scheduler: SchedulerApi) {
  return new Elysia()
    .get('/job/detail', ({ request }) => jobDetail(scheduler, request))
    .get('/job/logs', ({ request }) => jobLogs(scheduler, request))
    .post('/job/cancel', ({ request }) => cancelJob(scheduler, request), { parse: 'none' })
}

function jobDetail(scheduler: SchedulerApi, request: Request): Response {
  authenticatedUser(request)
  const id = canonicalJobId(queryParam(request, 'id'))
  if (id === undefined) {
    return invalidJobId()
  }

  return jsonResponse(toJobJson(findJob(scheduler, id)))
}

async function jobLogs(scheduler: SchedulerApi, request: Request): Promise<Response> {
  authenticatedUser(request)
  const id = canonicalJobId(queryParam(request, 'id'))
  if (id === undefined) {
    return invalidJobId()
  }

  const task = queryParam(request, 'task') ?? ''
  if (task === '') {
    return errorJsonResponse(400, 'Invalid task name')
  }

  const job = findJob(scheduler, id)
  if (!job.tasks.some((candidate) => candidate.name === task)) {
    throw new PrunnerError('TASK_NOT_FOUND', `task "${task}" not found in job ${id}`)
  }

  return jsonStreamResponse(await openLogsJsonStream(scheduler.logFiles(id, task)))
}

async function cancelJob(scheduler: SchedulerApi, request: Request): Promise<Response> {
  authenticatedUser(request)
  const id = canonicalJobId(queryParam(request, 'id'))
  if (id === undefined) {
    return invalidJobId()
  }

  await scheduler.cancel(id)
  return jsonResponse(true)
}

function findJob(scheduler: SchedulerApi, id: string): JobState {
  const job = scheduler.getJob(id)
  if (!job) {
    throw new PrunnerError('JOB_NOT_FOUND', `job ${id} not found`)
  }

  return job
}

// Go's Query().Get: the first value of the parameter, null when absent.
function invalidJobId(): Response {
  return errorJsonResponse(400, 'Invalid job id')
}
