import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, resolve, sep } from 'node:path'
import { PrunnerError } from '../shared/errors.ts'

/**
 * The absolute path of an executable `name` on `pathEnv`. A name with a path separator is not
 * looked up but checked as a path, as a shell does.
 */
export function findOnPath(name: string, pathEnv: string | undefined): string | undefined {
  if (name === '') {
    return undefined
  }

  if (hasPathSeparator(name)) {
    return isExecutableFile(name) ? resolve(name) : undefined
  }

  for (const dir of (pathEnv ?? '').split(delimiter)) {
    // An empty PATH entry means the current directory, as in POSIX shells.
    const candidate = resolve(dir === '' ? '.' : dir, name)
    if (isExecutableFile(candidate)) {
      return candidate
    }
  }

  return undefined
}

/**
 * The shell used when neither task nor pipeline names one (SPEC §6.1): `--shell` / PRUNNER_SHELL,
 * else bash on PATH, else /bin/sh (on Windows: sh on PATH), else undefined.
 */
export function resolveDefaultShell(
  flagValue: string | undefined,
  pathEnv: string | undefined,
): string | undefined {
  if (flagValue !== undefined && flagValue !== '') {
    const found = findOnPath(flagValue, pathEnv)
    if (found === undefined) {
      throw new PrunnerError('CONFIG_INVALID', `shell "${flagValue}" not found`)
    }

    return found
  }

  const bash = findOnPath('bash', pathEnv)
  if (bash !== undefined) {
    return bash
  }

  if (process.platform === 'win32') {
    return findOnPath('sh', pathEnv)
  }

  return isExecutableFile('/bin/sh') ? '/bin/sh' : undefined
}

/** The program to spawn for a task's `shell` value, or undefined when a bare name is not found. */
export function resolveTaskShell(shell: string, pathEnv: string | undefined): string | undefined {
  if (hasPathSeparator(shell) || isAbsolute(shell)) {
    // A path is handed to spawn as is, so its own error names what is wrong with it.
    return shell
  }

  return findOnPath(shell, pathEnv)
}

function hasPathSeparator(name: string): boolean {
  return name.includes('/') || (sep === '\\' && name.includes('\\'))
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    // Missing, unreadable or not executable: not a candidate either way.
    return false
  }
}
