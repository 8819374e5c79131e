import type { TObject } from '@sinclair/typebox'
import { Elysia, type TSchema, t } from 'elysia'
import { BODIES, COMPONENTS, QUERIES, RESPONSES, ref } from './openapi-schemas.ts'
import { jsonResponse } from './responses.ts'
import {
  DEBUG_VARS_PATH,
  EXTRA_ROUTES,
  findRule,
  type RouteRule,
  UI_PREFIX,
} from './route-table.ts'

interface Answer {
  description: string
  schema?: TSchema
  /** Defaults to application/json when a schema is given. */
  contentType?: string
}

/** One route as the document describes it; the guard's table decides whether it is served. */
export interface Operation {
  path: string
  method: 'get' | 'post'
  summary: string
  query?: TObject
  body?: TSchema
  responses: Record<string, Answer>
}

const TEXT = 'text/plain; charset=utf-8'
const error = (description: string): Answer => ({ description, schema: ref('Error') })
const unauthorized: Answer = {
  description: 'no valid token',
  contentType: TEXT,
  schema: t.String(),
}

export const OPERATIONS: readonly Operation[] = [
  {
    path: '/pipelines',
    method: 'get',
    summary: 'List pipelines',
    responses: {
      200: { description: 'pipelines sorted by name', schema: RESPONSES.pipelines },
      401: unauthorized,
    },
  },
  {
    path: '/pipelines/',
    method: 'get',
    summary: 'List pipelines (alias)',
    responses: {
      200: { description: 'as GET /pipelines', schema: RESPONSES.pipelines },
      401: unauthorized,
    },
  },
  {
    path: '/pipelines/jobs',
    method: 'get',
    summary: 'Pipelines and every job, newest first',
    responses: {
      200: { description: 'unpaged', schema: RESPONSES.pipelinesJobs },
      401: unauthorized,
    },
  },
  {
    path: '/pipelines/schedule',
    method: 'post',
    summary: 'Schedule a job',
    body: BODIES.schedule,
    responses: {
      202: { description: 'accepted (may be queued)', schema: RESPONSES.scheduled },
      400: error('bad body or rejected'),
      401: unauthorized,
      500: error('not stored'),
      503: error('shutting down'),
    },
  },
  {
    path: '/job/detail',
    method: 'get',
    summary: 'One job with its tasks',
    query: QUERIES.jobId,
    responses: {
      200: { description: 'the job', schema: ref('Job') },
      400: error('invalid id'),
      401: unauthorized,
      404: error('unknown job'),
    },
  },
  {
    path: '/job/logs',
    method: 'get',
    summary: "A task's logs up to now",
    query: QUERIES.jobLogs,
    responses: {
      200: { description: 'both logs', schema: RESPONSES.logs },
      400: error('invalid id or task'),
      401: unauthorized,
      404: error('unknown job or task'),
    },
  },
  {
    path: '/job/cancel',
    method: 'post',
    summary: 'Cancel a job',
    query: QUERIES.jobId,
    responses: {
      200: { description: 'canceled', schema: RESPONSES.canceled },
      400: error('invalid id'),
      401: unauthorized,
      404: error('unknown job'),
      500: error('already finished'),
    },
  },
  {
    path: EXTRA_ROUTES.logStream,
    method: 'get',
    summary: "Follow a task's log from a byte offset until the task ends",
    query: QUERIES.logStream,
    responses: {
      200: {
        description: 'raw log bytes, streamed',
        contentType: TEXT,
        schema: t.String(),
      },
      400: error('invalid parameter'),
      401: unauthorized,
      404: error('unknown job or task'),
    },
  },
  {
    path: EXTRA_ROUTES.jobs,
    method: 'get',
    summary: 'Jobs in pages, newest first',
    query: QUERIES.jobsPage,
    responses: {
      200: {
        description: 'one page; pass `next` as `before` for the next one',
        schema: RESPONSES.jobsPage,
      },
      400: error('invalid parameter'),
      401: unauthorized,
      404: error('unknown `before` job'),
    },
  },
  {
    path: EXTRA_ROUTES.events,
    method: 'get',
    summary: 'Live job and task events (Server-Sent Events; Last-Event-ID resumes)',
    query: QUERIES.events,
    responses: {
      200: {
        description:
          'events job.created, job.queued, job.started, task.started, task.finished, job.finished; `reset` when missed events are gone',
        contentType: 'text/event-stream',
        schema: t.String(),
      },
      400: error('invalid job id'),
      401: unauthorized,
    },
  },
  {
    path: EXTRA_ROUTES.health,
    method: 'get',
    summary: 'Liveness, without authentication',
    responses: {
      200: { description: 'serving', schema: RESPONSES.health },
      503: { description: 'shutting down', schema: RESPONSES.health },
    },
  },
  {
    path: EXTRA_ROUTES.metrics,
    method: 'get',
    summary: 'Prometheus metrics',
    responses: {
      200: {
        description: 'text exposition format 0.0.4',
        contentType: 'text/plain; version=0.0.4',
        schema: t.String(),
      },
      401: unauthorized,
    },
  },
  {
    path: EXTRA_ROUTES.openapi,
    method: 'get',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', schema: t.Object({}) } },
  },
  {
    path: EXTRA_ROUTES.uiRoot,
    method: 'get',
    summary: 'Redirect to the web UI',
    responses: { 301: { description: 'to /ui/' } },
  },
  {
    path: `${UI_PREFIX}{asset}`,
    method: 'get',
    summary: 'Web UI files (`/ui/` is the app)',
    responses: {
      200: {
        description: 'a file',
        contentType: 'text/html',
        schema: t.String(),
      },
      404: { description: 'no such file' },
    },
  },
  {
    path: EXTRA_ROUTES.uiSession,
    method: 'post',
    summary: 'Check a token and store it in an HttpOnly `jwt` cookie',
    body: BODIES.session,
    responses: {
      200: { description: 'signed in; Set-Cookie carries the token', schema: RESPONSES.session },
      400: error('no token in body'),
      401: unauthorized,
      403: error('cross-origin request'),
    },
  },
  {
    path: EXTRA_ROUTES.uiLogout,
    method: 'post',
    summary: 'Clear the `jwt` cookie',
    responses: { 204: { description: 'signed out' } },
  },
  {
    path: DEBUG_VARS_PATH,
    method: 'get',
    summary: 'Memory and job counts (only with --enable-profiling)',
    responses: { 200: { description: 'snapshot', schema: RESPONSES.debugVars } },
  },
]

/** The OpenAPI 3.1 document of the routes `table` serves. */
export function buildOpenApiDocument(options: {
  table: ReadonlyMap<string, RouteRule>
  version: string
}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of OPERATIONS) {
    const rule = findRule(options.table, operation.path.replace('{asset}', 'index.html'))
    if (rule === undefined || rule.method.toLowerCase() !== operation.method) {
      continue
    }

    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method]: describe(operation, rule),
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'prunner',
      version: options.version,
      description: 'Task and pipeline runner HTTP API',
    },
    components: {
      schemas: plain(COMPONENTS),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (HS256)' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'jwt' },
      },
    },
    paths,
  }
}

/** `GET /openapi.json`, without authentication: it holds no data. */
export function openApiRoutes(document: Record<string, unknown>) {
  return new Elysia().get(EXTRA_ROUTES.openapi, () => jsonResponse(document))
}

function describe(operation: Operation, rule: RouteRule): Record<string, unknown> {
  const responses: Record<string, unknown> = {}
  for (const [status, answer] of Object.entries(operation.responses)) {
    const contentType = answer.contentType ?? 'application/json'
    responses[status] = {
      description: answer.description,
      ...(answer.schema ? { content: { [contentType]: { schema: plain(answer.schema) } } } : {}),
    }
  }
  return {
    summary: operation.summary,
    operationId: operationId(operation),
    ...(operation.query ? { parameters: queryParameters(operation.query) } : {}),
    ...(operation.path.includes('{asset}')
      ? { parameters: [{ name: 'asset', in: 'path', required: true, schema: { type: 'string' } }] }
      : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: plain(operation.body) } },
          },
        }
      : {}),
    security: rule.isProtected ? [{ bearer: [] }, { cookie: [] }] : [],
    responses,
  }
}

function queryParameters(query: TObject): Record<string, unknown>[] {
  const required = new Set(query.required ?? [])
  return Object.entries(query.properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: plain(schema),
  }))
}

function operationId(operation: Operation): string {
  const words = operation.path.split(/[^a-zA-Z]+/).filter((word) => word !== '')
  const camel = words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('')
  return `${operation.method}${camel}${operation.path.endsWith('/') ? 'Slash' : ''}`
}

// TypeBox keeps its own markers under symbol keys, which JSON drops: what is left is JSON Schema.
function plain(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>
}
