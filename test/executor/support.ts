import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type RunningTask,
  startTask,
  type TaskOutcome,
  type TaskRunOptions,
} from '../../src/executor/index.ts'
import { Logger, type LogRecord, silentLogger } from '../../src/log/index.ts'

/** Shells these tests run on: bash always, dash when the machine has it. */
export const SHELLS = ['/bin/bash', '/bin/dash'].filter((path) => Bun.file(path).size > 0)

/**
 * One test's sandbox: a temp dir for the logs, every task it started and every extra pid it
 * learned about, so cleanup can kill exactly those by pid.
 */
export class TaskSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'prunner-executor-test-'))
  readonly records: LogRecord[] = []
  readonly #tasks: { task: RunningTask; isSettled: boolean }[] = []
  readonly #extraPids = new Set<number>()

  get stdoutPath(): string {
    return join(this.dir, 'task-stdout.log')
  }

  get stderrPath(): string {
    return join(this.dir, 'task-stderr.log')
  }

  options(overrides: Partial<TaskRunOptions> = {}): TaskRunOptions {
    return {
      lines: [],
      shell: '/bin/bash',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      cwd: this.dir,
      stdoutPath: this.stdoutPath,
      stderrPath: this.stderrPath,
      allowFailure: false,
      logger: silentLogger(),
      killGraceMs: 300,
      ...overrides,
    }
  }

  start(overrides: Partial<TaskRunOptions> = {}): RunningTask {
    const task = startTask(this.options(overrides))
    const entry = { task, isSettled: false }
    this.#tasks.push(entry)
    void task.done.then(() => {
      entry.isSettled = true
    })
    return task
  }

  async run(lines: string[], overrides: Partial<TaskRunOptions> = {}): Promise<TaskOutcome> {
    return this.start({ lines, ...overrides }).done
  }

  capturingLogger(): Logger {
    return new Logger({ sink: (record) => this.records.push(record), level: 'debug' })
  }

  stdout(): string {
    return readFileSync(this.stdoutPath, 'utf8')
  }

  stderr(): string {
    return readFileSync(this.stderrPath, 'utf8')
  }

  /** Pids printed one per line into stdout by the script, remembered for cleanup. */
  async waitForPids(count: number): Promise<number[]> {
    let pids: number[] = []
    await waitFor(() => {
      pids = this.stdout()
        .split('\n')
        .filter((line) => /^\d+$/.test(line))
        .map(Number)
      return pids.length >= count
    }, `${count} pids in stdout`)
    for (const pid of pids) {
      this.#extraPids.add(pid)
    }

    return pids
  }

  /** Kills what a failing test may have left behind, by pid and by the groups of its tasks. */
  async cleanup(): Promise<void> {
    // A settled task's group is empty by contract, and its id may belong to someone else now.
    for (const { task, isSettled } of this.#tasks) {
      if (!isSettled && task.pid !== undefined) {
        task.kill()
        killQuietly(-task.pid)
      }
    }

    for (const pid of this.#extraPids) {
      if (isProcessRunning(pid)) {
        killQuietly(pid)
      }
    }

    await Promise.all(this.#tasks.map(({ task }) => task.done))
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** Polls `condition` every 10 ms until it holds; fails the test after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!safely(condition)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    }

    await Bun.sleep(10)
  }
}

/** Whether `pid` is a running process; zombies count as gone. */
export function isProcessRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

function safely(condition: () => boolean): boolean {
  try {
    return condition()
  } catch {
    return false
  }
}

function killQuietly(pid: number): void {
  if (pid === 0 || pid === -1 || Math.abs(pid) === process.pid) {
    return
  }

  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone, which is the normal case after a passing test.
  }
}
