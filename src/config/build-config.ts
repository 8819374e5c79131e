import { PrunnerError } from '../shared/errors.ts'
import { parseBool } from './command-line.ts'
import type { Config } from './config.ts'
import { readDuration } from './duration.ts'
import { DEFAULTS, type FlagSpec, findFlag, GLOBAL_FLAGS } from './flags.ts'

/** Environment variables as prunner was started with them. */
export type Environment = Readonly<Record<string, string | undefined>>

/**
 * Resolves every global setting: flag, then env var, then default (SPEC §2.2). Env files are not
 * involved: they only reach tasks. Throws PrunnerError `CONFIG_INVALID` for a bad value.
 */
export function buildConfig(
  flagValues: ReadonlyMap<string, readonly string[]>,
  env: Environment,
): Config {
  const source = new ValueSource(flagValues, env)
  const jwtSecret = source.text('jwt-secret')
  const shell = source.text('shell')
  const config: Config = {
    verbose: source.bool('verbose') ?? DEFAULTS.verbose,
    disableAnsi: source.bool('disable-ansi') ?? DEFAULTS.disableAnsi,
    configFile: source.text('config') ?? DEFAULTS.configFile,
    dataDir: source.text('data') ?? DEFAULTS.dataDir,
    pattern: source.text('pattern') ?? DEFAULTS.pattern,
    path: source.text('path') ?? DEFAULTS.path,
    address: source.text('address') ?? DEFAULTS.address,
    envFiles: Object.freeze(source.list('env-files') ?? [...DEFAULTS.envFiles]),
    watch: source.bool('watch') ?? DEFAULTS.watch,
    pollIntervalMs: source.pollInterval() ?? DEFAULTS.pollIntervalMs,
    enableProfiling: source.bool('enable-profiling') ?? DEFAULTS.enableProfiling,
    metricsPublic: source.bool('metrics-public') ?? DEFAULTS.metricsPublic,
    ...(jwtSecret === undefined || jwtSecret === '' ? {} : { jwtSecret }),
    ...(shell === undefined || shell === '' ? {} : { shell }),
  }
  return Object.freeze(config)
}

/**
 * The logging settings, never throwing: the logger must exist before a bad value elsewhere can
 * be reported as a `startup failed` record. An unreadable value counts as `false`.
 */
export function readLogSettings(
  flagValues: ReadonlyMap<string, readonly string[]>,
  env: Environment,
): { verbose: boolean; disableAnsi: boolean } {
  const source = new ValueSource(flagValues, env)
  const readSafely = (name: string): boolean => {
    try {
      return source.bool(name) ?? false
    } catch {
      // The same value is reported by buildConfig; here it only must not stop logging.
      return false
    }
  }
  return { verbose: readSafely('verbose'), disableAnsi: readSafely('disable-ansi') }
}

class ValueSource {
  readonly #flagValues: ReadonlyMap<string, readonly string[]>
  readonly #env: Environment

  constructor(flagValues: ReadonlyMap<string, readonly string[]>, env: Environment) {
    this.#flagValues = flagValues
    this.#env = env
  }

  /** Last flag value, else a non-empty env var. */
  text(name: string): string | undefined {
    const fromFlag = this.#flagValues.get(name)?.at(-1)
    if (fromFlag !== undefined) {
      return fromFlag
    }

    const fromEnv = this.#envValue(name)
    return fromEnv === '' ? undefined : fromEnv
  }

  bool(name: string): boolean | undefined {
    const fromFlag = this.#flagValues.get(name)?.at(-1)
    if (fromFlag !== undefined) {
      return parseBool(fromFlag) ?? fail(`invalid value "${fromFlag}" for flag --${name}`)
    }

    // Set-but-empty means false, as with the Go original's env handling.
    const fromEnv = this.#envValue(name)
    if (fromEnv === undefined || fromEnv === '') {
      return fromEnv === undefined ? undefined : false
    }

    return parseBool(fromEnv) ?? fail(`invalid value "${fromEnv}" for env var ${envName(name)}`)
  }

  /** Repeated flags add up and replace the env var; every item is split at commas and trimmed. */
  list(name: string): string[] | undefined {
    const raw = this.#flagValues.get(name) ?? this.#envValue(name)
    if (raw === undefined) {
      return undefined
    }

    const joined = typeof raw === 'string' ? [raw] : raw
    return joined
      .flatMap((value) => value.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== '')
  }

  // The env var feeds the same flag, so its errors read like the flag's (SPEC §2.2).
  pollInterval(): number | undefined {
    const text = this.text('poll-interval')
    if (text === undefined) {
      return undefined
    }

    const prefix = `invalid value "${text}" for flag --poll-interval`
    const result = readDuration(text)
    if ('reason' in result) {
      throw new PrunnerError('CONFIG_INVALID', `${prefix}: ${result.reason}`)
    }

    if (result.ms <= 0) {
      throw new PrunnerError('CONFIG_INVALID', `${prefix}: must be greater than 0`)
    }

    return result.ms
  }

  #envValue(name: string): string | undefined {
    return this.#env[envName(name)]
  }
}

function envName(flagName: string): string {
  const spec: FlagSpec | undefined = findFlag(GLOBAL_FLAGS, flagName)
  if (spec?.env === undefined) {
    throw new Error(`flag --${flagName} has no env var`)
  }

  return spec.env
}

function fail(prefix: string): never {
  throw new PrunnerError('CONFIG_INVALID', `${prefix}: expected a boolean`)
}
