import { jwt } from '@elysiajs/jwt'
import { Elysia } from 'elysia'
import type { Logger } from '../log/index.ts'
import type { SchedulerApi } from '../scheduler/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { debugRoutes } from './debug.ts'
import { guardRequest } from './guard.ts'
import { jobRoutes } from './jobs.ts'
import { pipelineRoutes } from './pipelines.ts'
import { handleAndLog } from './request-log.ts'
import { requestTarget } from './request-url.ts'
import { internalErrorResponse, notFoundResponse, responseForError } from './responses.ts'

export interface AppOptions {
  scheduler: SchedulerApi
  /** The HS256 secret (SPEC §3). */
  secret: string
  logger: Logger
  /** Serve `GET /debug/vars`. */
  enableProfiling: boolean
  /** Process start, for `uptimeSeconds`. */
  startedAtMs: number
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
  const { scheduler, enableProfiling } = options
  const app = new Elysia({ strictPath: true })
    .use(jwt({ name: 'jwt', secret: options.secret }))
    // Runs before routing, so unknown paths under protected prefixes answer 401 first.
    .onRequest(({ request, jwt: verifier }) => guardRequest({ request, verifier, enableProfiling }))
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
  return enableProfiling
    ? app.use(debugRoutes({ scheduler, startedAtMs: options.startedAtMs }))
    : app
}
