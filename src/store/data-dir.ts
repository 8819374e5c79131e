import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { errorMessage, PrunnerError } from '../shared/errors.ts'

/**
 * Creates `<dataDir>` and `<dataDir>/logs` when missing, private to the user (0700, SPEC §9.1).
 * Directories that already exist keep their mode: the operator chose it.
 */
export function prepareDataDir(dataDir: string): void {
  for (const dir of [dataDir, join(dataDir, 'logs')]) {
    if (existsSync(dir)) {
      requireDirectory(dir)
      continue
    }

    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw new PrunnerError('DATA_DIR', `creating data directory ${dir}: ${errorMessage(error)}`, {
        cause: error,
      })
    }
  }
}

function requireDirectory(dir: string): void {
  if (!statSync(dir).isDirectory()) {
    throw new PrunnerError('DATA_DIR', `creating data directory ${dir}: not a directory`)
  }
}

/** `<data>/logs/<job-id>`: where a job's task logs live (SPEC §9.1). */
export function jobLogDir(dataDir: string, jobId: string): string {
  return join(dataDir, 'logs', jobId)
}

/** A task's two log files; the handler's task name is `on_error`. */
export function taskLogPaths(
  dataDir: string,
  jobId: string,
  task: string,
): { stdout: string; stderr: string } {
  const dir = jobLogDir(dataDir, jobId)
  return { stdout: join(dir, `${task}-stdout.log`), stderr: join(dir, `${task}-stderr.log`) }
}
