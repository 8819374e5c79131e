import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Logger, type LogRecord } from '../../src/log/index.ts'
import type { JobState, TaskState } from '../../src/store/job-types.ts'

/** A fresh directory under the OS temp dir; `remove()` deletes it with everything inside. */
export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'prunner-store-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A logger that keeps every record, debug included, for assertions. */
export function capturingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = []
  const logger = new Logger({ sink: (record) => records.push(record), level: 'debug' })
  return { logger, records }
}

export function makeTask(overrides: Partial<TaskState> = {}): TaskState {
  return {
    name: 'build',
    dependsOn: [],
    status: 'waiting',
    start: null,
    end: null,
    exitCode: 0,
    errored: false,
    ...overrides,
  }
}

/** A queued job with one waiting task and no optional fields. */
export function makeJob(overrides: Partial<JobState> = {}): JobState {
  return {
    id: crypto.randomUUID(),
    pipeline: 'release',
    seq: 1,
    created: 1_700_000_000_123,
    start: null,
    end: null,
    completed: false,
    canceled: false,
    user: '',
    partition: '',
    snapshot: {
      tasks: [{ name: 'build', script: ['make'], dependsOn: [], allowFailure: false, env: {} }],
      env: {},
      startDelayMs: 0,
      continueRunningTasksAfterFailure: false,
    },
    tasks: [makeTask()],
    ...overrides,
  }
}

/** A finished, failed job that sets every optional field, with an `on_error` task. */
export function makeFullJob(overrides: Partial<JobState> = {}): JobState {
  return makeJob({
    pipeline: 'déploiement-🚀',
    seq: 42,
    created: 1_700_000_000_001,
    start: 1_700_000_001_002,
    end: 1_700_000_009_999,
    completed: true,
    canceled: false,
    lastError: 'exit status 3 — échec',
    variables: {
      tag: 'v1.2.3',
      count: 7,
      ratio: 0.25,
      flag: false,
      none: null,
      nested: { list: [1, 'zwei', { drei: 3 }], emoji: '✓ 日本' },
    },
    user: 'ci-bot',
    partition: 'eu-west',
    snapshot: {
      tasks: [
        {
          name: 'build',
          script: ['make {{ .Variables.tag }}', 'echo "ok"'],
          dependsOn: [],
          allowFailure: false,
          env: { GOOS: 'linux' },
          shell: 'bash',
        },
        {
          name: 'test',
          script: ['exit 3'],
          dependsOn: ['build'],
          allowFailure: true,
          env: {},
        },
      ],
      env: { PATH: '/usr/bin', 'WITH SPACE': 'a=b' },
      shell: 'sh',
      startDelayMs: 1500,
      continueRunningTasksAfterFailure: true,
      onError: { script: ['notify "{{ .Failed }}"'], env: { LEVEL: 'warn' }, shell: 'zsh' },
    },
    tasks: [
      makeTask({ status: 'done', start: 1_700_000_001_002, end: 1_700_000_002_000 }),
      makeTask({
        name: 'test',
        dependsOn: ['build'],
        status: 'error',
        start: 1_700_000_002_001,
        end: 1_700_000_003_000,
        exitCode: 3,
        errored: true,
        error: 'exit status 3 — échec',
      }),
      makeTask({
        name: 'on_error',
        status: 'error',
        start: 1_700_000_003_001,
        end: 1_700_000_009_999,
        exitCode: Number.MAX_SAFE_INTEGER,
        errored: true,
        error: 'signal: killed',
      }),
    ],
    ...overrides,
  })
}
