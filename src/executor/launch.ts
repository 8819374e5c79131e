import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { errorMessage } from '../shared/errors.ts'
import { buildDriverScript } from './driver.ts'

/** One argument may hold at most 128 KiB on Linux (MAX_ARG_STRLEN); larger drivers go to a file. */
const INLINE_DRIVER_MAX_BYTES = 120_000

export type ShellProcess = Subprocess<'ignore', 'pipe', 'pipe'>

export interface LaunchOptions {
  program: string
  lines: string[]
  cwd: string
  env: Record<string, string>
  allowFailure: boolean
}

export interface Launched {
  process: ShellProcess
  /** Holds the driver file and the status file; the caller removes it when the task ends. */
  tempDir: string | undefined
  statusPath: string | undefined
}

/** Spawns the shell running the driver; throws what Bun.spawn throws. */
export function launchShell(options: LaunchOptions): Launched {
  let tempDir = options.allowFailure ? makeTempDir() : undefined
  try {
    const statusPath = tempDir === undefined ? undefined : join(tempDir, 'status')
    const script = buildDriverScript({ lines: options.lines, cwd: options.cwd, statusPath })
    let args = ['-c', script]
    if (Buffer.byteLength(script) > INLINE_DRIVER_MAX_BYTES) {
      tempDir ??= makeTempDir()
      args = [writeDriverFile(tempDir, script)]
    }

    return { process: spawnInOwnGroup(options.program, args, options), tempDir, statusPath }
  } catch (error) {
    removeTempDir(tempDir)
    throw error
  }
}

/** The text after `starting shell "<x>": ` for an error thrown by launchShell. */
export function describeSpawnError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return (code && SPAWN_ERRNO_TEXT[code]) || errorMessage(error)
}

/** The status of the last failing line recorded by the driver, if any. */
export function readLastFailingStatus(statusPath: string | undefined): number | undefined {
  if (statusPath === undefined) {
    return undefined
  }

  try {
    const status = Number.parseInt(readFileSync(statusPath, 'utf8').trim(), 10)
    return Number.isNaN(status) ? undefined : status
  } catch {
    // No file: no line failed.
    return undefined
  }
}

export function removeTempDir(tempDir: string | undefined): void {
  if (tempDir === undefined) {
    return
  }

  try {
    rmSync(tempDir, { recursive: true, force: true })
  } catch {
    // A leftover directory in the temp folder is harmless; the task result does not depend on it.
  }
}

const SPAWN_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
}

function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'prunner-task-'))
}

function writeDriverFile(tempDir: string, script: string): string {
  const driverPath = join(tempDir, 'driver.sh')
  writeFileSync(driverPath, script, { mode: 0o600 })
  return driverPath
}

function spawnInOwnGroup(program: string, args: string[], options: LaunchOptions): ShellProcess {
  return Bun.spawn([program, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    // setsid(): the shell leads a new process group, so one signal reaches all of its children,
    // and a Ctrl-C in prunner's terminal never reaches it (SPEC §6.7).
    detached: true,
  })
}
