import { createHmac } from 'node:crypto'
import { Logger, type LogRecord } from '../../src/log/index.ts'
import type {
  JobState,
  PipelineInfo,
  ScheduleRequest,
  SchedulerApi,
  TaskState,
} from '../../src/scheduler/index.ts'
import { createApp, type PrunnerApp } from '../../src/server/index.ts'

export const SECRET = 'test-secret-with-enough-bytes-0123456789'

/** A scheduler double: jobs and pipelines are plain arrays, calls are recorded. */
export class FakeScheduler implements SchedulerApi {
  pipelines: PipelineInfo[] = []
  jobs: JobState[] = []
  scheduled: ScheduleRequest[] = []
  canceled: string[] = []
  files = new Map<string, { stdout: string; stderr: string }>()
  scheduleError: Error | undefined
  cancelError: Error | undefined
  shuttingDown = false

  listPipelines(): PipelineInfo[] {
    return this.pipelines
  }

  listJobs(): JobState[] {
    return this.jobs
  }

  getJob(id: string): JobState | undefined {
    return this.jobs.find((job) => job.id === id)
  }

  async schedule(request: ScheduleRequest): Promise<{ jobId: string }> {
    if (this.scheduleError) {
      throw this.scheduleError
    }

    this.scheduled.push(request)
    return { jobId: '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11' }
  }

  async cancel(id: string): Promise<void> {
    if (this.cancelError) {
      throw this.cancelError
    }

    this.canceled.push(id)
  }

  logFiles(jobId: string, task: string): { stdout: string; stderr: string } {
    return (
      this.files.get(`${jobId}/${task}`) ?? {
        stdout: `/nonexistent/${jobId}/${task}.stdout.log`,
        stderr: `/nonexistent/${jobId}/${task}.stderr.log`,
      }
    )
  }

  isShuttingDown(): boolean {
    return this.shuttingDown
  }

  counts(): { running: number; queued: number } {
    return { running: 1, queued: 2 }
  }
}

export function makeTask(overrides: Partial<TaskState> & { name: string }): TaskState {
  return {
    dependsOn: [],
    status: 'waiting',
    start: null,
    end: null,
    exitCode: 0,
    errored: false,
    ...overrides,
  }
}

export function makeJob(overrides: Partial<JobState> = {}): JobState {
  return {
    id: '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11',
    pipeline: 'deploy',
    seq: 1,
    created: Date.UTC(2025, 7, 15, 12, 0, 0),
    start: null,
    end: null,
    completed: false,
    canceled: false,
    user: '',
    partition: '',
    snapshot: { tasks: [], env: {}, startDelayMs: 0, continueRunningTasksAfterFailure: false },
    tasks: [],
    ...overrides,
  }
}

/** An app over a fake scheduler with a capturing log sink. */
export function setup(options: { enableProfiling?: boolean } = {}) {
  const scheduler = new FakeScheduler()
  const records: LogRecord[] = []
  const logger = new Logger({ sink: (record) => records.push(record), level: 'debug' })
  const app = createApp({
    scheduler,
    secret: SECRET,
    logger,
    enableProfiling: options.enableProfiling ?? false,
    startedAtMs: Date.now() - 5000,
  })
  return { app, scheduler, records }
}

/** Signs a compact JWS with any `alg` header, so tests can also build HS512 and none tokens. */
export function signToken(
  claims: Record<string, unknown>,
  options: { alg?: string; secret?: string } = {},
): string {
  const alg = options.alg ?? 'HS256'
  const header = base64url(JSON.stringify({ alg, typ: 'JWT' }))
  const payload = base64url(JSON.stringify(claims))
  const input = `${header}.${payload}`
  if (alg === 'none') {
    return `${input}.`
  }

  const hash = alg === 'HS512' ? 'sha512' : alg === 'HS384' ? 'sha384' : 'sha256'
  const signature = createHmac(hash, options.secret ?? SECRET)
    .update(input)
    .digest('base64url')
  return `${input}.${signature}`
}

export function base64url(text: string): string {
  return Buffer.from(text).toString('base64url')
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** A valid token of the kind the PHP package sends. */
export function validToken(sub = 'jane'): string {
  return signToken({ sub, exp: nowSeconds() + 60 })
}

/** Sends one request to the app in-process, with a valid bearer token unless told otherwise. */
export function req(
  app: PrunnerApp,
  path: string,
  init: {
    method?: string
    body?: string
    token?: string | null
    headers?: Record<string, string>
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers }
  const token = init.token === undefined ? validToken() : init.token
  if (token !== null) {
    headers.Authorization = `Bearer ${token}`
  }

  return app.handle(
    new Request(`http://localhost${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body,
    }),
  )
}

/** Every key of a job on the wire, in the order of SPEC §8.4. */
export const JOB_WIRE_KEYS = [
  'id',
  'pipeline',
  'tasks',
  'completed',
  'canceled',
  'errored',
  'created',
  'start',
  'end',
  'lastError',
  'variables',
  'user',
]
