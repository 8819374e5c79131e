/**
 * The shell program that runs a task's script lines (SPEC §6.2) in one shell process.
 *
 * Each line is handed to `eval` as one single-quoted word, so it reaches the shell byte for byte
 * and a syntax error stays inside its own line. Variables, functions, traps and options set by a
 * line live on, because everything runs in the same shell.
 */

export interface DriverOptions {
  lines: string[]
  cwd: string
  /**
   * With allow_failure the driver records each failing line's status in this file instead of
   * exiting, so a later `exit 0` cannot hide the last failing status.
   */
  statusPath?: string
}

// Names with a prefix no script is likely to use, since the driver shares the script's shell.
const STATUS_VAR = '__prunner_status'

/**
 * A non-interactive shell keeps running the next line when a foreground child handles SIGINT
 * and exits normally. This trap stops the shell instead, by re-raising SIGINT with its default
 * action, so the exit still reads as "killed by SIGINT". A script's own INT trap replaces it.
 */
const STOP_ON_SIGINT = `trap 'trap - INT; kill -s INT $$' INT`

export function buildDriverScript({ lines, cwd, statusPath }: DriverOptions): string {
  const onFailure =
    statusPath === undefined
      ? `exit "$${STATUS_VAR}"`
      : `echo "$${STATUS_VAR}" >| ${quoteForShell(statusPath)}`
  const parts = [STOP_ON_SIGINT]

  for (const line of lines) {
    parts.push(
      `cd -- ${quoteForShell(cwd)}`,
      `eval ${quoteForShell(line)}`,
      `${STATUS_VAR}=$?`,
      `case $${STATUS_VAR} in 0) ;; *) ${onFailure} ;; esac`,
    )
  }

  parts.push('exit 0')
  return `${parts.join('\n')}\n`
}

/** 1-based number of the first line holding a NUL byte, which no shell can receive. */
export function findLineWithNul(lines: string[]): number | undefined {
  const index = lines.findIndex((line) => line.includes('\0'))
  return index === -1 ? undefined : index + 1
}

/** One single-quoted shell word; inside single quotes only `'` itself needs care. */
export function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}
