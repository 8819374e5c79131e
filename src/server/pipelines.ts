import { Elysia } from 'elysia'
import type { SchedulerApi } from '../scheduler/index.ts'
import { authenticatedUser } from './guard.ts'
import { toJobListEntry } from './job-json.ts'
import { errorJsonResponse, jsonResponse } from './responses.ts'
import { parseScheduleBody } from './schedule-body.ts'

/** `/pipelines`, `/pipelines/`, `/pipelines/jobs` and `/pipelines/schedule` (SPEC §8.6). */
export function pipelineRoutes(scheduler: SchedulerApi) {
  const listPipelines = () => jsonResponse({ pipelines: scheduler.listPipelines() })
  return (
    new Elysia()
      .get('/pipelines', listPipelines)
      .get('/pipelines/', listPipelines)
      .get('/pipelines/jobs', () =>
        jsonResponse({
          pipelines: scheduler.listPipelines(),
          jobs: scheduler.listJobs().map(toJobListEntry),
        }),
      )
      // Clients send no Content-Type: the body is read as text and parsed here, never by Elysia.
      .post('/pipelines/schedule', ({ request }) => schedulePipeline(scheduler, request), {
        parse: 'none',
      })
  )
}

async function schedulePipeline(scheduler: SchedulerApi, request: Request): Promise<Response> {
  const user = authenticatedUser(request)
  const parsed = parseScheduleBody(await request.text())
  if (!parsed.ok) {
    return errorJsonResponse(400, `Error decoding JSON: ${parsed.detail}`)
  }

  const { jobId } = await scheduler.schedule({ ...parsed.body, user })
  return jsonResponse({ jobId }, 202)
}
