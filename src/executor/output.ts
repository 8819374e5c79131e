import { closeSync, fchmodSync, fstatSync, openSync, write, writeSync } from 'node:fs'
import type { ReadableStreamDefaultReader } from 'node:stream/web'
import { errorMessage } from '../shared/errors.ts'
import type { OutputSource } from './launch.ts'

/**
 * One task log file. A failed write is remembered rather than thrown, so the pipe keeps being
 * drained and the task can report `writing task output: <reason>` after its shell exits.
 */
export class OutputFile {
  readonly #fd: number
  #error: string | undefined
  #isClosed = false

  private constructor(fd: number) {
    this.#fd = fd
  }

  /** Creates or truncates `path` with mode 0600; throws when that fails. */
  static open(path: string): OutputFile {
    const fd = openSync(path, 'w', 0o600)
    try {
      // The mode of openSync applies only to new files; an old log may have had another one.
      // Devices and pipes keep theirs: their mode belongs to the system, not to this task.
      if (fstatSync(fd).isFile()) {
        fchmodSync(fd, 0o600)
      }
    } catch (error) {
      closeSync(fd)
      throw error
    }

    return new OutputFile(fd)
  }

  get error(): string | undefined {
    return this.#error
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#error !== undefined || this.#isClosed) {
      return
    }

    try {
      await writeFully(this.#fd, chunk)
    } catch (error) {
      this.#error = errorMessage(error)
    }
  }

  /** Best effort: used for prunner's own note at the end of a failed task's stderr log. */
  appendLine(text: string): void {
    if (this.#isClosed) {
      return
    }

    try {
      writeSync(this.#fd, `${text}\n`)
    } catch {
      // The task already failed; a log that cannot take the note changes nothing about that.
    }
  }

  close(): void {
    if (this.#isClosed) {
      return
    }

    this.#isClosed = true
    try {
      closeSync(this.#fd)
    } catch {
      // Closing can only fail for a bad descriptor, and then there is nothing left to release.
    }
  }
}

/**
 * Copies a stream into a file chunk by chunk; awaiting each write is the backpressure. Once the
 * stream ends or is closed, the source's descriptor is released.
 */
export class OutputPump {
  readonly done: Promise<void>
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>

  /** Call right after spawning: Bun buffers a child's output without limit until a reader attaches. */
  constructor(source: OutputSource, file: OutputFile) {
    this.#reader = source.stream.getReader()
    this.done = this.#pump(file).finally(() => source.release())
  }

  /** Stops reading; the writer then gets SIGPIPE or EPIPE on its next write. */
  close(): void {
    this.#reader.cancel().catch(() => {
      // A stream that already ended or failed has nothing left to cancel.
    })
  }

  async #pump(file: OutputFile): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.#reader.read()
        if (done) {
          return
        }

        await file.write(value)
      }
    } catch {
      // A read error ends the stream like EOF; the shell's exit status tells how the task went.
    }
  }
}

function writeFully(fd: number, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const writeFrom = (offset: number): void => {
      write(fd, chunk, offset, chunk.length - offset, null, (error, written) => {
        if (error) {
          reject(error)
        } else if (offset + written < chunk.length) {
          writeFrom(offset + written)
        } else {
          resolve()
        }
      })
    }

    writeFrom(0)
  })
}
