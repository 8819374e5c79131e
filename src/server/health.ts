import { Elysia } from 'elysia'
import type { SchedulerApi } from '../scheduler/index.ts'
import { jsonResponse } from './responses.ts'
import { EXTRA_ROUTES } from './route-table.ts'

/** `GET /health` without authentication: 200 while serving, 503 once a shutdown has begun. */
export function healthRoutes(options: {
  scheduler: SchedulerApi
  version: string
  startedAtMs: number
}) {
  return new Elysia().get(EXTRA_ROUTES.health, () => {
    const isShuttingDown = options.scheduler.isShuttingDown()
    return jsonResponse(
      {
        status: isShuttingDown ? 'shutting down' : 'ok',
        version: options.version,
        uptimeSeconds: Math.floor((Date.now() - options.startedAtMs) / 1000),
      },
      isShuttingDown ? 503 : 200,
    )
  })
}
