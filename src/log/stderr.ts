import { formatLogfmt, formatPretty } from './format.ts'
import { Logger, type LogLevel } from './logger.ts'

/** The process logger: pretty on a terminal, logfmt otherwise or with `--disable-ansi`. */
export function createStderrLogger(options: { verbose: boolean; disableAnsi: boolean }): Logger {
  const level: LogLevel = options.verbose ? 'debug' : 'info'
  const isPretty = !options.disableAnsi && process.stderr.isTTY === true
  const format = isPretty ? formatPretty : formatLogfmt
  return new Logger({
    level,
    sink: (record) => {
      process.stderr.write(`${format(record)}\n`)
    },
  })
}
