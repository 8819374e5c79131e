import type { CommandName, Config } from './config.ts'

export type FlagKind = 'bool' | 'string' | 'list' | 'duration'

export interface FlagSpec {
  /** Long name as typed after `--`. */
  readonly name: string
  readonly aliases?: readonly string[]
  readonly kind: FlagKind
  readonly env?: string
  /** Placeholder for the value in the usage text, e.g. `dir`. */
  readonly valueName?: string
  /** The default as shown in the usage text. */
  readonly defaultText?: string
  readonly description: string
}

/** Global flags (SPEC §2.2), in usage-text order; `--help` is handled by the parser itself. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  {
    name: 'verbose',
    aliases: ['v'],
    kind: 'bool',
    env: 'PRUNNER_VERBOSE',
    defaultText: 'false',
    description: 'log debug messages',
  },
  {
    name: 'disable-ansi',
    kind: 'bool',
    env: 'PRUNNER_DISABLE_ANSI',
    defaultText: 'false',
    description: 'log in logfmt even on a terminal',
  },
  {
    name: 'config',
    valueName: 'file',
    kind: 'string',
    env: 'PRUNNER_CONFIG',
    defaultText: '.prunner.yml',
    description: 'config file holding jwt_secret (created if missing)',
  },
  {
    name: 'jwt-secret',
    valueName: 'secret',
    kind: 'string',
    env: 'PRUNNER_JWT_SECRET',
    description: 'HS256 secret of at least 16 bytes; replaces the config file',
  },
  {
    name: 'data',
    valueName: 'dir',
    kind: 'string',
    env: 'PRUNNER_DATA',
    defaultText: '.prunner',
    description: 'directory for the job database and task logs',
  },
  {
    name: 'pattern',
    valueName: 'glob',
    kind: 'string',
    env: 'PRUNNER_PATTERN',
    defaultText: '**/pipelines.{yml,yaml}',
    description: 'glob of pipeline definition files',
  },
  {
    name: 'path',
    valueName: 'dir',
    kind: 'string',
    env: 'PRUNNER_PATH',
    defaultText: '.',
    description: 'base directory for --pattern',
  },
  {
    name: 'address',
    valueName: 'host:port',
    kind: 'string',
    env: 'PRUNNER_ADDRESS',
    defaultText: 'localhost:9009',
    description: 'host:port for the HTTP API',
  },
  {
    name: 'env-files',
    valueName: 'files',
    kind: 'list',
    env: 'PRUNNER_ENV_FILES',
    defaultText: '.env, .env.local',
    description: 'dotenv files loaded for tasks (repeat or separate with commas)',
  },
  {
    name: 'watch',
    kind: 'bool',
    env: 'PRUNNER_WATCH',
    defaultText: 'false',
    description: 'poll definition files and reload them on change',
  },
  {
    name: 'poll-interval',
    valueName: 'duration',
    kind: 'duration',
    env: 'PRUNNER_POLL_INTERVAL',
    defaultText: '30s',
    description: 'how often --watch polls',
  },
  {
    name: 'shell',
    valueName: 'shell',
    kind: 'string',
    env: 'PRUNNER_SHELL',
    defaultText: 'bash if on PATH, else /bin/sh',
    description: 'default shell for tasks',
  },
  {
    name: 'enable-profiling',
    kind: 'bool',
    env: 'PRUNNER_ENABLE_PROFILING',
    defaultText: 'false',
    description: 'serve GET /debug/vars',
  },
  {
    name: 'metrics-public',
    kind: 'bool',
    env: 'PRUNNER_METRICS_PUBLIC',
    defaultText: 'false',
    description: 'serve GET /metrics without authentication',
  },
]

export interface CommandSpec {
  readonly name: Exclude<CommandName, 'serve'>
  readonly aliases: readonly string[]
  /** Arguments after the command word, for the usage line. */
  readonly argsText: string
  readonly description: string
  /** Bool flags that only this command accepts, after its name. */
  readonly flags: readonly FlagSpec[]
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'validate',
    aliases: [],
    argsText: '[--json] [--strict]',
    description: 'check pipeline definitions and report errors and warnings',
    flags: [
      { name: 'json', kind: 'bool', defaultText: 'false', description: 'print one JSON object' },
      { name: 'strict', kind: 'bool', defaultText: 'false', description: 'fail on warnings too' },
    ],
  },
  {
    name: 'debug',
    aliases: [],
    argsText: '',
    description: 'print a JWT for the HTTP API (MINIMAL_OUTPUT=1: only "Bearer <token>")',
    flags: [],
  },
  { name: 'version', aliases: [], argsText: '', description: 'print the version', flags: [] },
  {
    name: 'help',
    aliases: ['h'],
    argsText: '[command]',
    description: 'show help for prunner or one command',
    flags: [],
  },
]

/** Config defaults, used when neither flag nor env var gives a value. */
export const DEFAULTS: Readonly<Omit<Config, 'jwtSecret' | 'shell'>> = {
  verbose: false,
  disableAnsi: false,
  configFile: '.prunner.yml',
  dataDir: '.prunner',
  pattern: '**/pipelines.{yml,yaml}',
  path: '.',
  address: 'localhost:9009',
  envFiles: ['.env', '.env.local'],
  watch: false,
  pollIntervalMs: 30_000,
  enableProfiling: false,
  metricsPublic: false,
}

/** The flag that `--<name>` or `-<name>` means, if any. */
export function findFlag(flags: readonly FlagSpec[], name: string): FlagSpec | undefined {
  return flags.find((spec) => spec.name === name || spec.aliases?.includes(name) === true)
}

/** The command a command word (or its alias) names, if any. */
export function findCommand(word: string): CommandSpec | undefined {
  return COMMANDS.find((spec) => spec.name === word || spec.aliases.includes(word))
}
