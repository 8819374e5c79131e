import { COMMANDS, type CommandSpec, type FlagSpec, GLOBAL_FLAGS } from '../config/index.ts'
import { currentVersion } from './version.ts'

/** The full usage text: syntax, commands, every global flag with its env var and default. */
export function globalUsage(): string {
  const commands = [
    ['(none)', 'run the server'],
    ...COMMANDS.map((spec) => [[spec.name, ...spec.aliases].join(', '), spec.description]),
  ]
  const flags = [...GLOBAL_FLAGS, HELP_FLAG]
  return [
    'prunner - runs pipelines of shell tasks, started over an authenticated HTTP API',
    '',
    'Usage:',
    '  prunner [flags] [command] [flags]',
    '',
    'Commands:',
    ...table(commands),
    '',
    'Flags (a flag beats its env var, which beats the default):',
    ...flagTable(flags),
    '',
    ...SYNTAX_NOTES,
    '',
    'Signals (server):',
    ...table(SIGNALS),
    '',
    'Run "prunner help <command>" for the details of one command.',
    `Version: ${currentVersion()}`,
    '',
  ].join('\n')
}

/** Usage of one command, e.g. for `prunner help validate` or `prunner validate --help`. */
export function commandUsage(spec: CommandSpec): string {
  const usageLine = ['prunner [flags]', spec.name, spec.argsText].filter((part) => part !== '')
  const details = COMMAND_DETAILS[spec.name]
  const lines = [
    `prunner ${spec.name} - ${spec.description}`,
    '',
    'Usage:',
    `  ${usageLine.join(' ')}`,
    '',
    ...details.text.map((line) => `  ${line}`),
  ]
  if (spec.flags.length > 0) {
    lines.push('', `Flags of ${spec.name} (only after the word "${spec.name}"):`)
    lines.push(...flagTable(spec.flags))
  }

  const usedGlobals = GLOBAL_FLAGS.filter((flag) => details.globalFlags.includes(flag.name))
  if (usedGlobals.length > 0) {
    lines.push('', 'Global flags it uses:', ...flagTable(usedGlobals))
  }
  lines.push('', 'Every global flag is listed by "prunner help".', '')
  return lines.join('\n')
}

const HELP_FLAG: FlagSpec = {
  name: 'help',
  aliases: ['h'],
  kind: 'bool',
  description: 'print this help to stdout and exit',
}

// What SPEC §2.2 says about a flag beyond its one-line description: the rules a user would
// otherwise only learn from an error message.
const FLAG_NOTES: Readonly<Record<string, string>> = {
  'jwt-secret': 'not passed on to tasks',
  address: '":9009" listens on all interfaces, port 0 on any free port',
  'env-files': "their variables reach tasks only, not prunner's flags; '' loads none",
  'poll-interval': 'e.g. 30s or 1m30s; must be greater than 0',
  shell: 'must understand POSIX sh',
}

const SYNTAX_NOTES = [
  'Flags may stand before or after the command and be written --name value, --name=value,',
  '-name value or -name=value. A bool flag is set by --name or --name=true|false; a bool env',
  'var accepts 1, t, T, true, TRUE, True and 0, f, F, false, FALSE, False (empty means false).',
  'Relative paths are relative to the working directory.',
]

const SIGNALS = [
  ['SIGINT', 'graceful stop: new schedules get 503, running jobs finish, queued jobs stay queued'],
  ['SIGTERM', 'forced stop (also a second SIGINT): running jobs are canceled, exit within ~2 s'],
  ['SIGUSR1', 'reload the pipeline definitions (an invalid set is logged, the current one kept)'],
]

interface CommandDetails {
  /** Lines after the usage line: what the command reads, prints and exits with. */
  readonly text: readonly string[]
  /** Global flags that change what the command does. */
  readonly globalFlags: readonly string[]
}

const COMMAND_DETAILS: Readonly<Record<CommandSpec['name'], CommandDetails>> = {
  validate: {
    text: [
      'Loads the pipeline definition files like the server does and prints every problem, sorted',
      'by position, as "<file>:<line>:<column>: error|warning: <message>", then the summary',
      '"<P> pipelines in <F> files: <E> errors, <W> warnings". Unknown keys and shells that are',
      'not on PATH are warnings; no matching file is an error. Reads no config or env file, does',
      'not touch the data directory and opens no socket.',
      'Exit code: 0 without errors (with --strict: without warnings too), else 1.',
    ],
    globalFlags: ['path', 'pattern', 'shell'],
  },
  debug: {
    text: [
      'Loads the env files, resolves the secret like the server (creating the config file with a',
      'random secret if it is missing) and prints an HS256 token without "exp" (it never expires)',
      'and without "sub" (jobs it schedules get user ""). The token goes to stderr as an',
      '"Authorization: Bearer <token>" line; with MINIMAL_OUTPUT=1 only "Bearer <token>" is',
      'written, to stdout, without a newline:',
      '  TOKEN=$(MINIMAL_OUTPUT=1 prunner debug)',
    ],
    globalFlags: ['config', 'jwt-secret', 'env-files'],
  },
  version: {
    text: [
      'Prints the release version without a leading "v" (e.g. 2.0.0, or "dev" for a build from',
      'source) to stdout. Reads no file.',
    ],
    globalFlags: [],
  },
  help: {
    text: [
      'Prints the usage of prunner, or of one command, to stdout and reads no file. The same as',
      '--help or -h, which may follow any command: "prunner validate --help".',
    ],
    globalFlags: [],
  },
}

// One line per fact keeps the table readable in 100 columns: names and meaning, then any rule
// worth knowing, then the default and env var, which are what people look up.
function flagTable(flags: readonly FlagSpec[]): string[] {
  const rows = flags.map((spec) => {
    const names = [`--${spec.name}`, ...(spec.aliases ?? []).map((alias) => `-${alias}`)]
    const value = spec.valueName === undefined ? '' : ` <${spec.valueName}>`
    const note = FLAG_NOTES[spec.name]
    const source = [
      spec.defaultText === undefined ? '' : `default: ${spec.defaultText}`,
      spec.env === undefined ? '' : `env: $${spec.env}`,
    ].filter((part) => part !== '')
    const more = [note ?? '', source.length === 0 ? '' : `(${source.join(', ')})`]
    return { left: `${names.join(', ')}${value}`, lines: [spec.description, ...more] }
  })

  const width = Math.max(...rows.map((row) => row.left.length))
  return rows.flatMap((row) =>
    row.lines
      .filter((line) => line !== '')
      .map((line, index) => `  ${(index === 0 ? row.left : '').padEnd(width)}   ${line}`),
  )
}

function table(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map((row) => (row[0] ?? '').length))
  return rows.map(([left = '', right = '']) => `  ${left.padEnd(width)}   ${right}`)
}
