import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { errorMessage } from '../shared/errors.ts'
import { buildDriverScript } from './driver.ts'
import { createPipe, type PipeFds } from './os-pipe.ts'

export type ShellProcess = Subprocess

/** One output stream of the shell and what to release once reading it is over. */
export interface OutputSource {
  stream: ReadableStream<Uint8Array>
  /** Closes prunner's end, so a writer that is still alive gets SIGPIPE; idempotent. */
  release(): void
}

export interface LaunchOptions {
  program: string
  lines: string[]
  cwd: string
  env: Record<string, string>
  allowFailure: boolean
  scratchDir: string | undefined
}

export interface Launched {
  process: ShellProcess
  stdout: OutputSource
  stderr: OutputSource
  /** Holds the status file (and on Windows the driver); the caller removes it when the task ends. */
  tempDir: string
  statusPath: string | undefined
}

/**
 * Spawns the shell running the driver; throws what Bun.spawn or the file system throws, after
 * releasing everything it created.
 *
 * The driver never appears on the command line, where any local user could read substituted
 * variables with `ps`: it is written to a 0600 file in a fresh 0700 directory, opened, and on
 * Unix unlinked at once and handed to the shell as fd 3 (`sh /dev/fd/3`).
 */
export function launchShell(options: LaunchOptions): Launched {
  const tempDir = makeTempDir(options.scratchDir)
  const opened: number[] = []
  try {
    const statusPath = options.allowFailure ? join(tempDir, 'status') : undefined
    const script = buildDriverScript({ lines: options.lines, cwd: options.cwd, statusPath })
    const driver = writeDriver(tempDir, script)
    opened.push(driver.fd)
    const pipes = createOutputPipes(opened)
    const process = spawnInOwnGroup(options, driver, pipes)
    // The child holds its own copies now; ours of the write ends would keep EOF from coming.
    closeAll(opened.splice(0).filter((fd) => !isReadEnd(fd, pipes)))
    return { process, ...outputSources(process, pipes), tempDir, statusPath }
  } catch (error) {
    closeAll(opened)
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
  EMFILE: 'too many open files',
}

/** The descriptor the shell reads its driver from; /dev/fd/3 names it on Linux and macOS. */
const DRIVER_FD = 3
const canPassDriverFd = process.platform !== 'win32'

interface Driver {
  fd: number
  /** What the shell is given as its script operand. */
  operand: string
}

interface OutputPipes {
  stdout: PipeFds
  stderr: PipeFds
}

function makeTempDir(scratchDir: string | undefined): string {
  // mkdtemp creates the directory with mode 0700.
  return mkdtempSync(join(scratchDir ?? tmpdir(), 'prunner-task-'))
}

function writeDriver(tempDir: string, script: string): Driver {
  const path = join(tempDir, 'driver.sh')
  const writeFd = openSync(path, 'wx', 0o600)
  try {
    writeSync(writeFd, script)
  } finally {
    closeSync(writeFd)
  }

  const fd = openSync(path, 'r')
  if (!canPassDriverFd) {
    return { fd, operand: path }
  }

  // An open descriptor keeps the content readable; without a name nobody else can open it.
  unlinkSync(path)
  return { fd, operand: `/dev/fd/${DRIVER_FD}` }
}

/** Real pipes where the platform needs them (see createPipe); their fds go into `opened`. */
function createOutputPipes(opened: number[]): OutputPipes | undefined {
  const stdout = createPipe()
  if (stdout === undefined) {
    return undefined
  }

  opened.push(stdout.readFd, stdout.writeFd)
  const stderr = createPipe()
  if (stderr === undefined) {
    return undefined
  }

  opened.push(stderr.readFd, stderr.writeFd)
  return { stdout, stderr }
}

function spawnInOwnGroup(
  options: LaunchOptions,
  driver: Driver,
  pipes?: OutputPipes,
): ShellProcess {
  const stdout = pipes?.stdout.writeFd ?? 'pipe'
  const stderr = pipes?.stderr.writeFd ?? 'pipe'
  // The driver's first line closes fd 3 again, so the script's commands do not inherit it.
  const extra = canPassDriverFd ? [driver.fd] : []
  return Bun.spawn([options.program, driver.operand], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', stdout, stderr, ...extra],
    // setsid(): the shell leads a new process group, so one signal reaches all of its children,
    // and a Ctrl-C in prunner's terminal never reaches it (SPEC §6.7).
    detached: true,
  })
}

function outputSources(
  process: ShellProcess,
  pipes: OutputPipes | undefined,
): { stdout: OutputSource; stderr: OutputSource } {
  if (pipes === undefined) {
    return { stdout: bunPipeSource(process.stdout), stderr: bunPipeSource(process.stderr) }
  }

  return { stdout: fdSource(pipes.stdout.readFd), stderr: fdSource(pipes.stderr.readFd) }
}

/**
 * Bun.file(fd).stream() on a pipe waits for data in Bun's event loop (epoll), not in a
 * thread-pool read, so many idle tasks do not starve file I/O or the HTTP server. Bun never
 * closes a descriptor it was given, so release() does.
 */
function fdSource(fd: number): OutputSource {
  let isReleased = false
  return {
    stream: Bun.file(fd).stream(),
    release: () => {
      if (!isReleased) {
        isReleased = true
        closeAll([fd])
      }
    },
  }
}

function bunPipeSource(stream: unknown): OutputSource {
  if (!(stream instanceof ReadableStream)) {
    throw new Error('spawned shell has no output stream')
  }

  // Cancelling the reader closes Bun's end of the socket; nothing else is left to release.
  return { stream: stream as ReadableStream<Uint8Array>, release: () => {} }
}

function isReadEnd(fd: number, pipes: OutputPipes | undefined): boolean {
  return fd === pipes?.stdout.readFd || fd === pipes?.stderr.readFd
}

function closeAll(fds: number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd)
    } catch {
      // EBADF only: the descriptor is not open, which is the state this wanted.
    }
  }
}
