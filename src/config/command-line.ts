import { PrunnerError } from '../shared/errors.ts'
import type { CommandName } from './config.ts'
import { type CommandSpec, type FlagSpec, findCommand, findFlag, GLOBAL_FLAGS } from './flags.ts'

/** argv split into its command, raw global flag values and command flags (SPEC §2.1). */
export interface CommandLine {
  readonly command: CommandName
  /** Every value given per global flag name, in order; bools without `=` read `true`. */
  readonly flagValues: ReadonlyMap<string, readonly string[]>
  /** The command's own bool flags, e.g. `{ json: true, strict: false }` for `validate`. */
  readonly commandFlags: Readonly<Record<string, boolean>>
  /** `--help`/`-h` anywhere, or the `help` command. */
  readonly isHelpRequested: boolean
  /** The command named by `help <command>`, or by `<command> --help`. */
  readonly helpTopic?: string
}

const HELP_FLAG: FlagSpec = { name: 'help', aliases: ['h'], kind: 'bool', description: '' }

/**
 * Splits argv without looking at the environment. Flags may come before or after the command
 * word; the command's own flags only after it. Throws PrunnerError `USAGE` for unknown flags,
 * unknown commands and missing flag values, `CONFIG_INVALID` for a malformed bool.
 */
export function readCommandLine(argv: readonly string[]): CommandLine {
  const state = new ParseState()
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? ''
    if (state.isPastTerminator || arg === '-' || !arg.startsWith('-')) {
      state.addPositional(arg)
      continue
    }

    if (arg === '--') {
      state.isPastTerminator = true
      continue
    }

    const { name, inlineValue } = splitFlag(arg)
    const spec = state.lookUp(name)
    if (spec.kind === 'bool' || inlineValue !== undefined) {
      state.set(spec, name, inlineValue ?? 'true')
      continue
    }

    const next = argv[index + 1]
    if (next === undefined) {
      throw usageError(`flag needs an argument: -${name}`)
    }

    state.set(spec, name, next)
    index++
  }
  return state.finish()
}

/** The usage error texts of SPEC §2.1, without the `Incorrect Usage: ` prefix. */
export function usageError(message: string): PrunnerError {
  return new PrunnerError('USAGE', message)
}

/** Go's strconv.ParseBool set, which both flags and env vars accept. */
export function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) {
    return true
  }

  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) {
    return false
  }

  return undefined
}

class ParseState {
  isPastTerminator = false
  #command: CommandSpec | undefined
  #helpTopic: string | undefined
  #isHelpRequested = false
  readonly #flagValues = new Map<string, string[]>()
  readonly #commandFlags: Record<string, boolean> = {}

  addPositional(arg: string): void {
    if (this.#command === undefined) {
      this.#command = findCommand(arg)
      if (this.#command !== undefined) {
        this.#setCommandDefaults(this.#command)
        return
      }
    } else if (this.#command.name === 'help' && this.#helpTopic === undefined) {
      this.#helpTopic = arg
      return
    }

    throw usageError(`unknown command "${arg}"`)
  }

  lookUp(name: string): FlagSpec {
    const spec =
      findFlag(GLOBAL_FLAGS, name) ??
      findFlag(this.#command?.flags ?? [], name) ??
      findFlag([HELP_FLAG], name)
    if (spec === undefined) {
      throw usageError(`flag provided but not defined: -${name}`)
    }

    return spec
  }

  set(spec: FlagSpec, typedName: string, value: string): void {
    if (spec === HELP_FLAG) {
      this.#isHelpRequested = readFlagBool(typedName, value)
      return
    }

    if (GLOBAL_FLAGS.includes(spec)) {
      this.#flagValues.set(spec.name, [...(this.#flagValues.get(spec.name) ?? []), value])
      return
    }

    this.#commandFlags[spec.name] = readFlagBool(typedName, value)
  }

  finish(): CommandLine {
    const name = this.#command?.name ?? 'serve'
    const isHelpRequested = this.#isHelpRequested || name === 'help'
    const helpTopic = name === 'help' ? this.#helpTopic : this.#command?.name
    if (helpTopic !== undefined && findCommand(helpTopic) === undefined) {
      throw usageError(`unknown command "${helpTopic}"`)
    }

    return {
      command: name,
      flagValues: this.#flagValues,
      commandFlags: this.#commandFlags,
      isHelpRequested,
      ...(helpTopic === undefined ? {} : { helpTopic }),
    }
  }

  #setCommandDefaults(command: CommandSpec): void {
    for (const spec of command.flags) {
      this.#commandFlags[spec.name] = false
    }
  }
}

// Go's flag package accepts one or two dashes for every flag and rejects a third.
function splitFlag(arg: string): { name: string; inlineValue?: string } {
  const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1)
  if (body === '' || body.startsWith('-') || body.startsWith('=')) {
    throw usageError(`bad flag syntax: ${arg}`)
  }

  const equals = body.indexOf('=')
  if (equals === -1) {
    return { name: body }
  }

  return { name: body.slice(0, equals), inlineValue: body.slice(equals + 1) }
}

function readFlagBool(typedName: string, value: string): boolean {
  const parsed = parseBool(value)
  if (parsed === undefined) {
    const name = typedName.length === 1 ? `-${typedName}` : `--${typedName}`
    throw new PrunnerError(
      'CONFIG_INVALID',
      `invalid value "${value}" for flag ${name}: expected a boolean`,
    )
  }

  return parsed
}
