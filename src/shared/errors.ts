/** Closed set of error codes; server/ maps them to HTTP statuses, cli/ to exit codes. */
export type PrunnerErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'ENV_FILE_INVALID'
  | 'DEFINITION_INVALID'
  | 'DATA_DIR'
  | 'DATABASE'
  | 'LISTEN'
  | 'PIPELINE_NOT_FOUND'
  | 'SCHEDULE_REJECTED'
  | 'JOB_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'CANCEL_FAILED'
  | 'SHUTTING_DOWN'
  | 'STORE_FAILED'
  | 'TEMPLATE'

export class PrunnerError extends Error {
  readonly code: PrunnerErrorCode

  constructor(code: PrunnerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PrunnerError'
    this.code = code
  }
}

/** The message of any thrown value, for log fields and error texts. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
