import { jwt } from '@elysiajs/jwt'
import { Elysia } from 'elysia'
import type { EventHub } from '../events/index.ts'
import type { Logger } from '../log/index.ts'
import type { SchedulerApi } from '../scheduler/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { debugRoutes } from './debug.ts'
import { guardRequest } from './guard.ts'
import { healthRoutes } from './health.ts'
import { jobRoutes } from './jobs.ts'
import { jobsPageRoutes } from './jobs-page.ts'
import { liveRoutes } from './live-routes.ts'
import { metricsRoutes } from './metrics.ts'
import { buildOpenApiDocument, openApiRoutes } from './openapi.ts'
import { pipelineRoutes } from './pipelines.ts'
import { handleAndLog } from './request-log.ts'
import { requestTarget } from './request-url.ts'
import { internalErrorResponse, notFoundResponse, responseForError } from './responses.ts'
import { buildRouteTable, EXTRA_ROUTES } from './route-table.ts'
import { createSession, deleteSession, uiAssetRoutes } from './ui-routes.ts'

export interface AppOptions {
  scheduler: SchedulerApi
  /** The HS256 secret (SPEC §3). */
  secret: string
  logger: Logger
  /** Serve `GET /debug/vars`. */
  enableProfiling: boolean
  /** Process start, for `uptimeSeconds`. */
  startedAtMs: number
  /** Serves `GET /events` and task-duration metrics; pass its `hooks` to the Scheduler. */
  events?: EventHub
  /** Shown by `/health`, `/metrics` and `/openapi.json`; `dev` when absent. */
  version?: string
  /** Serve `GET /metrics` without authentication (`--metrics-public`). */
  metricsPublic?: boolean
  /** Heartbeat interval of `GET /events` (15 s); tests shorten it. */
  heartbeatMs?: number
}

/** The HTTP API: an Elysia app plus the request log around it. */
export interface PrunnerApp {
  readonly elysia: ReturnType<typeof createElysia>
  /** Answers one request; `remoteAddr` (`ip:port`) only goes into the request log. */
  handle(request: Request, info?: { remoteAddr?: string }): Promise<Response>
}

export function createApp(options: AppOptions): PrunnerApp {
  const logger = options.logger.child({ component: 'api' })
  const elysia = createElysia(options, logger)
  return {
    elysia,
    handle: (request, info) =>
      handleAndLog({
        handle: (inner) => elysia.handle(inner),
        request,
        logger,
        remoteAddr: info?.remoteAddr ?? '',
      }),
  }
}

// Hooks are arrow functions, never method shorthand: `bun build --minify` breaks the latter.
function createElysia(options: AppOptions, logger: Logger) {
  const { scheduler, enableProfiling, events, startedAtMs } = options
  const version = options.version ?? 'dev'
  const routes = buildRouteTable({
    enableProfiling,
    hasEvents: events !== undefined,
    metricsPublic: options.metricsPublic ?? false,
  })
  const app = new Elysia({ strictPath: true })
    .use(jwt({ name: 'jwt', secret: options.secret }))
    // Runs before routing, so unknown paths under protected prefixes answer 401 first.
    .onRequest(({ request, jwt: verifier }) => guardRequest({ request, verifier, routes }))
    .onError(({ code, error, request }) => {
      if (code === 'NOT_FOUND') {
        return notFoundResponse()
      }

      const mapped = responseForError(error)
      if (mapped) {
        return mapped
      }

      logger.error('request failed', {
        method: request.method,
        path: requestTarget(request.url),
        error: errorMessage(error),
      })
      return internalErrorResponse()
    })
    .use(pipelineRoutes(scheduler))
    .use(jobRoutes(scheduler))
    .use(liveRoutes({ scheduler, events, heartbeatMs: options.heartbeatMs }))
    .use(jobsPageRoutes(scheduler))
    .use(healthRoutes({ scheduler, version, startedAtMs }))
    .use(metricsRoutes({ scheduler, events, version, startedAtMs }))
    .use(openApiRoutes(buildOpenApiDocument({ table: routes, version })))
    .use(uiAssetRoutes())
    .post(
      EXTRA_ROUTES.uiSession,
      ({ request, jwt: verifier }) => createSession(request, verifier),
      {
        parse: 'none',
      },
    )
    .post(EXTRA_ROUTES.uiLogout, () => deleteSession(), { parse: 'none' })
  return enableProfiling ? app.use(debugRoutes({ scheduler, startedAtMs })) : app
}
