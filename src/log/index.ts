export { formatLogfmt, formatPretty } from './format.ts'
export type { LogFields, LogLevel, LogRecord, LogSink } from './logger.ts'
export { Logger, silentLogger } from './logger.ts'
export { createStderrLogger } from './stderr.ts'
