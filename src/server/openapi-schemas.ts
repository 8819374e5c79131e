import { type TSchema, t } from 'elysia'

export type ComponentName = 'Error' | 'Pipeline' | 'Task' | 'Job'

/** Schemas shared by several routes; the document lists them under `components.schemas`. */
export const COMPONENTS = {
  Error: t.Object({ error: t.String() }, { description: 'Error answer of the JSON routes' }),
  Pipeline: t.Object({
    pipeline: t.String(),
    schedulable: t.Boolean({ description: 'a schedule request would be accepted now' }),
    running: t.Boolean({ description: 'at least one job of the pipeline runs' }),
  }),
  Task: t.Object({
    name: t.String(),
    dependsOn: t.Optional(t.Array(t.String(), { description: 'omitted when empty' })),
    status: t.Union(
      ['waiting', 'running', 'done', 'error', 'canceled', 'skipped'].map((s) => t.Literal(s)),
    ),
    start: t.Union([t.String({ format: 'date-time' }), t.Null()]),
    end: t.Union([t.String({ format: 'date-time' }), t.Null()]),
    skipped: t.Boolean(),
    exitCode: t.Integer(),
    errored: t.Boolean(),
    error: t.Optional(t.String()),
  }),
  Job: t.Object({
    id: t.String({ format: 'uuid' }),
    pipeline: t.String(),
    tasks: t.Array(ref('Task'), { description: 'task order, the on_error handler last' }),
    completed: t.Boolean(),
    canceled: t.Boolean(),
    errored: t.Boolean(),
    created: t.String({ format: 'date-time' }),
    start: t.Union([t.String({ format: 'date-time' }), t.Null()]),
    end: t.Union([t.String({ format: 'date-time' }), t.Null()]),
    lastError: t.Optional(t.String()),
    variables: t.Optional(t.Record(t.String(), t.Unknown())),
    user: t.String({ description: "the token's sub, else empty" }),
  }),
} satisfies Record<ComponentName, TSchema>

/** A reference to a component schema, typed as TypeBox so it nests in other schemas. */
export function ref(name: ComponentName): TSchema {
  return t.Unsafe({ $ref: `#/components/schemas/${name}` })
}

const jobId = t.String({ description: 'job id (UUID; also 32 hex digits, {…} or urn:uuid:)' })

/** Query parameters per route. */
export const QUERIES = {
  jobId: t.Object({ id: jobId }),
  jobLogs: t.Object({ id: jobId, task: t.String() }),
  logStream: t.Object({
    id: jobId,
    task: t.String(),
    stream: t.Optional(t.Union([t.Literal('stdout'), t.Literal('stderr')], { default: 'stdout' })),
    offset: t.Optional(
      t.Integer({ minimum: 0, default: 0, description: 'byte offset to start at' }),
    ),
  }),
  jobsPage: t.Object({
    pipeline: t.Optional(t.String()),
    status: t.Optional(
      t.String({ description: 'comma-separated: queued, running, done, error, canceled' }),
    ),
    limit: t.Optional(t.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: t.Optional(
      t.String({ description: 'the `next` of the previous page, or a job id to continue after' }),
    ),
  }),
  events: t.Object({ job: t.Optional(t.String({ description: 'only events of this job' })) }),
}

export const BODIES = {
  schedule: t.Object({
    pipeline: t.String(),
    variables: t.Optional(t.Union([t.Record(t.String(), t.Unknown()), t.Null()])),
    queuePartition: t.Optional(t.Union([t.String(), t.Null()])),
  }),
  session: t.Object({ token: t.String({ description: 'a JWT as `prunner debug` prints it' }) }),
}

export const RESPONSES = {
  pipelines: t.Object({ pipelines: t.Array(ref('Pipeline')) }),
  pipelinesJobs: t.Object({ pipelines: t.Array(ref('Pipeline')), jobs: t.Array(ref('Job')) }),
  scheduled: t.Object({ jobId: t.String({ format: 'uuid' }) }),
  logs: t.Object({ stdout: t.String(), stderr: t.String() }),
  canceled: t.Literal(true),
  jobsPage: t.Object({
    jobs: t.Array(ref('Job')),
    next: t.Union([t.String({ description: 'cursor for `before`' }), t.Null()]),
  }),
  health: t.Object({
    status: t.Union([t.Literal('ok'), t.Literal('shutting down')]),
    version: t.String(),
    uptimeSeconds: t.Integer(),
  }),
  session: t.Object({ user: t.String() }),
  debugVars: t.Object({
    uptimeSeconds: t.Integer(),
    memory: t.Object({
      rss: t.Integer(),
      heapUsed: t.Integer(),
      heapTotal: t.Integer(),
      external: t.Integer(),
    }),
    jobs: t.Object({ running: t.Integer(), queued: t.Integer() }),
  }),
}
