/**
 * The shell program that runs a task's script lines (SPEC §6.2) in one shell process.
 *
 * Each line is handed to `eval` as one single-quoted word, so it reaches the shell byte for byte
 * and a syntax error stays inside its own line. Variables, functions, traps and options set by a
 * line live on, because everything runs in the same shell.
 *
 * The driver's own commands must stay invisible and unaffected by what the lines define:
 * - Builtins are called through `command`, which skips functions, so a script defining `cd`,
 *   `eval`, `set`, `exit`, `trap` or `kill` cannot replace them (a function named `command`
 *   could). zsh in its native mode runs only external programs through `command`; it gets
 *   `builtin` instead.
 * - xtrace is switched off after each line, inside a group whose stderr is /dev/null, and switched
 *   on again as the first step inside the next line's `eval`, so `set -x` traces the script's
 *   commands and none of the driver's. This holds in bash, dash, busybox ash and zsh; mksh
 *   traces to the stderr it started with, so there the driver's steps show too.
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
/** Empty, or the command that restores the script's xtrace at the start of the next line. */
const XTRACE_VAR = '__prunner_xtrace'
/** `command`, or `builtin` where `command` does not run builtins. */
const BUILTIN_VAR = '__prunner_builtin'
const BUILTIN = `"$${BUILTIN_VAR}"`

/**
 * The shell reads the driver through its own descriptor (opened from /dev/fd/3); fd 3 itself
 * would otherwise be inherited by every command of the script. Closing a closed fd is no error.
 */
const CLOSE_DRIVER_FD = 'exec 3<&-'

/**
 * A non-interactive shell keeps running the next line when a foreground child handles SIGINT
 * and exits normally. This trap stops the shell instead, by re-raising SIGINT with its default
 * action, so the exit still reads as "killed by SIGINT". A script's own INT trap replaces it.
 */
const STOP_ON_SIGINT = `${BUILTIN} trap '{ ${BUILTIN} trap - INT; ${BUILTIN} kill -s INT $$; } 2>/dev/null' INT`

/**
 * Runs right after each line: keeps its status, remembers whether the line left xtrace on and
 * turns it off. Tracing inside the group goes to its stderr, which is /dev/null, and a group's
 * redirection does not change `$?`.
 */
const AFTER_LINE = [
  `{ ${STATUS_VAR}=$?; case $- in`,
  `*x*) ${XTRACE_VAR}='${BUILTIN} set -x;'; ${BUILTIN} set +x ;;`,
  `*) ${XTRACE_VAR}= ;;`,
  'esac; } 2>/dev/null',
].join(' ')

export function buildDriverScript({ lines, cwd, statusPath }: DriverOptions): string {
  const onFailure =
    statusPath === undefined
      ? `${BUILTIN} exit "$${STATUS_VAR}"`
      : `${BUILTIN} printf '%s\\n' "$${STATUS_VAR}" >| ${quoteForShell(statusPath)}`
  // Set before any line runs, so `set -u` in a script cannot trip over them.
  const parts = [
    CLOSE_DRIVER_FD,
    `${STATUS_VAR}=0 ${XTRACE_VAR}= ${BUILTIN_VAR}=command`,
    `command eval : 2>/dev/null || ${BUILTIN_VAR}=builtin`,
    STOP_ON_SIGINT,
  ]

  for (const line of lines) {
    parts.push(
      `${BUILTIN} cd -- ${quoteForShell(cwd)}`,
      // One word: empty restore text leaves the line exactly as it is.
      `${BUILTIN} eval "$${XTRACE_VAR}"${quoteForShell(line)}`,
      AFTER_LINE,
      `case $${STATUS_VAR} in 0) ;; *) ${onFailure} ;; esac`,
    )
  }

  parts.push(`${BUILTIN} exit 0`)
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
