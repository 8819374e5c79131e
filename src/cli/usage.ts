import { COMMANDS, type CommandSpec, type FlagSpec, GLOBAL_FLAGS } from '../config/index.ts'
import { currentVersion } from './version.ts'

/** The full usage text: commands and every global flag with its env var and default. */
export function globalUsage(): string {
  const commands = [
    ['(none)', 'run the server'],
    ...COMMANDS.map((spec) => [[spec.name, ...spec.aliases].join(', '), spec.description]),
  ]
  const flags = [
    ...GLOBAL_FLAGS,
    { name: 'help', aliases: ['h'], kind: 'bool', description: 'show this help' } as const,
  ]
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
    ...table(flags.map(flagRow)),
    '',
    `Version: ${currentVersion()}`,
    '',
  ].join('\n')
}

/** Usage of one command, e.g. for `prunner help validate` or `prunner validate --help`. */
export function commandUsage(spec: CommandSpec): string {
  const usageLine = ['prunner [flags]', spec.name, spec.argsText].filter((part) => part !== '')
  const lines = [
    `prunner ${spec.name} - ${spec.description}`,
    '',
    'Usage:',
    `  ${usageLine.join(' ')}`,
  ]
  if (spec.flags.length > 0) {
    lines.push('', `Flags of ${spec.name}:`, ...table(spec.flags.map(flagRow)))
  }
  lines.push('', 'Global flags are listed by "prunner help".', '')
  return lines.join('\n')
}

function flagRow(spec: FlagSpec): [string, string] {
  const names = [`--${spec.name}`, ...(spec.aliases ?? []).map((alias) => `-${alias}`)].join(', ')
  const value = spec.valueName === undefined ? '' : ` <${spec.valueName}>`
  const notes = [
    spec.defaultText === undefined ? '' : ` (default: ${spec.defaultText})`,
    spec.env === undefined ? '' : ` [$${spec.env}]`,
  ].join('')
  return [`${names}${value}`, `${spec.description}${notes}`]
}

function table(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map((row) => (row[0] ?? '').length))
  return rows.map(([left = '', right = '']) => `  ${left.padEnd(width)}   ${right}`)
}
