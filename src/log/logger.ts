export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal'
export type LogFields = Record<string, unknown>

export interface LogRecord {
  time: Date
  level: LogLevel
  msg: string
  fields: LogFields
}

/** Where finished records go; tests pass a capturing sink. */
export type LogSink = (record: LogRecord) => void

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 }

export class Logger {
  readonly #sink: LogSink
  readonly #minLevel: LogLevel
  readonly #bound: LogFields

  constructor(options: { sink: LogSink; level?: LogLevel; fields?: LogFields }) {
    this.#sink = options.sink
    this.#minLevel = options.level ?? 'info'
    this.#bound = options.fields ?? {}
  }

  /** A logger that adds `fields` (e.g. `{ component: 'executor' }`) to every record. */
  child(fields: LogFields): Logger {
    return new Logger({
      sink: this.#sink,
      level: this.#minLevel,
      fields: { ...this.#bound, ...fields },
    })
  }

  isEnabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.#minLevel]
  }

  debug(msg: string, fields?: LogFields): void {
    this.#write('debug', msg, fields)
  }

  info(msg: string, fields?: LogFields): void {
    this.#write('info', msg, fields)
  }

  warn(msg: string, fields?: LogFields): void {
    this.#write('warn', msg, fields)
  }

  error(msg: string, fields?: LogFields): void {
    this.#write('error', msg, fields)
  }

  fatal(msg: string, fields?: LogFields): void {
    this.#write('fatal', msg, fields)
  }

  #write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (!this.isEnabled(level)) {
      return
    }

    this.#sink({ time: new Date(), level, msg, fields: { ...this.#bound, ...fields } })
  }
}

/** A logger that drops everything; for library callers and tests that do not look at logs. */
export function silentLogger(): Logger {
  return new Logger({ sink: () => {} })
}
