import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDefinitionFile } from '../../src/definition/parse-file.ts'
import type { PipelineDefinition } from '../../src/definition/types.ts'
import { Logger, type LogRecord } from '../../src/log/index.ts'
import { type JobState, Scheduler, type TaskState } from '../../src/scheduler/index.ts'
import { waitFor } from '../helpers/wait.ts'

export interface HarnessOptions {
  /** The environment tasks inherit; PATH of the test process plus the harness's bin dir by default. */
  env?: Record<string, string>
  defaultShell?: string
  /** Called synchronously on every committed change, like the Scheduler's onJobChanged hook. */
  onJobChanged?: (job: JobState, scheduler: Scheduler) => void
}

/**
 * The real Scheduler, JobRun and executor on a temp directory, with an in-memory store: tasks run
 * real shells, and the test sees every committed state.
 */
export class SchedulerHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'prunner-job-run-'))
  readonly binDir = join(this.dir, 'bin')
  readonly records: LogRecord[] = []
  /** The last committed copy of every job, as a store would hold it. */
  readonly committed = new Map<string, JobState>()
  /** Pid of every task shell, by `<job>/<task>`. */
  readonly pids = new Map<string, number>()
  readonly scheduler: Scheduler

  constructor(yaml: string, options: HarnessOptions = {}) {
    mkdirSync(this.binDir)
    const commit = (job: JobState): void => {
      this.committed.set(job.id, structuredClone(job))
    }
    const env = options.env ?? {
      PATH: `${this.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    }
    this.scheduler = new Scheduler({
      store: {
        insertJob: commit,
        saveJob: commit,
        saveJobs: (jobs) => jobs.forEach(commit),
        deleteJob: (id) => this.committed.delete(id),
      },
      hooks: {
        onJobChanged: (job) => options.onJobChanged?.(job, this.scheduler),
        onTaskSpawned: (job, task, pid) => this.pids.set(`${job.id}/${task.name}`, pid),
      },
      logger: new Logger({ level: 'debug', sink: (record) => this.records.push(record) }),
      dataDir: join(this.dir, 'data'),
      cwd: this.dir,
      defaultShell: options.defaultShell ?? '/bin/sh',
      definitions: loadPipelines(yaml),
      killGraceMs: 300,
      baseEnv: () => ({ ...env }),
    })
  }

  async schedule(pipeline = 'p', variables?: Record<string, unknown>): Promise<string> {
    const { jobId } = await this.scheduler.schedule({
      pipeline,
      variables,
      partition: '',
      user: '',
    })
    return jobId
  }

  job(id: string): JobState {
    const job = this.scheduler.getJob(id)
    if (job === undefined) {
      throw new Error(`no job ${id}`)
    }

    return job
  }

  task(id: string, name: string): TaskState {
    const task = this.job(id).tasks.find((candidate) => candidate.name === name)
    if (task === undefined) {
      throw new Error(`job ${id} has no task ${name}`)
    }

    return task
  }

  taskNames(id: string): string[] {
    return this.job(id).tasks.map((task) => task.name)
  }

  async waitForStatus(id: string, name: string, status: TaskState['status']): Promise<void> {
    await waitFor(() => this.job(id).tasks.find((t) => t.name === name)?.status === status, {
      what: `task ${name} to be ${status}`,
    })
  }

  async waitForCompletion(id: string): Promise<JobState> {
    await waitFor(() => this.job(id).completed, { what: `job ${id} to complete` })
    // What the store holds must match memory: every state change is committed.
    return this.committed.get(id) as JobState
  }

  log(id: string, task: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
    return readFileSync(join(this.dir, 'data', 'logs', id, `${task}-${stream}.log`), 'utf8')
  }

  /** A file in the working directory of the tasks: scripts wait for it to go on. */
  release(name = 'release'): void {
    writeFileSync(join(this.dir, name), '')
  }

  hasFile(name: string): boolean {
    return existsSync(join(this.dir, name))
  }

  /** An executable in the bin dir on the tasks' PATH that marks its output, then runs /bin/sh. */
  addShell(name: string): string {
    const path = join(this.binDir, name)
    writeFileSync(path, `#!/bin/sh\nSHELL_USED=${name}\nexport SHELL_USED\nexec /bin/sh "$@"\n`)
    chmodSync(path, 0o755)
    return path
  }

  messages(level: LogRecord['level']): string[] {
    return this.records.filter((record) => record.level === level).map((record) => record.msg)
  }

  /** Kills what is still running (by process group, through the scheduler) and removes the dir. */
  async cleanup(): Promise<void> {
    await this.scheduler.shutdown('forced')
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export function loadPipelines(yaml: string): Map<string, PipelineDefinition> {
  const parsed = parseDefinitionFile('pipelines.yml', yaml)
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) {
    throw new Error(`test pipelines do not load: ${errors.map((d) => d.message).join('; ')}`)
  }

  const pipelines = new Map<string, PipelineDefinition>()
  for (const pipeline of parsed.pipelines) {
    if (pipeline.definition) {
      pipelines.set(pipeline.name, pipeline.definition)
    }
  }
  return pipelines
}

/** A script line that blocks until the test calls `release(name)`. */
export function waitLine(name = 'release'): string {
  return `while [ ! -f ${name} ]; do sleep 0.02; done`
}
