import { buildConfig, type Environment } from './build-config.ts'
import { type CommandLine, readCommandLine } from './command-line.ts'
import type { CommandName, Config } from './config.ts'

export interface ParsedArgs {
  readonly command: CommandName
  readonly config: Config
  readonly commandFlags: CommandLine['commandFlags']
  readonly isHelpRequested: boolean
  readonly helpTopic?: string
}

/**
 * argv plus environment to a command and a frozen Config. Throws PrunnerError `USAGE` for what
 * SPEC §2.1 calls usage errors and `CONFIG_INVALID` for a bad flag or env value.
 */
export function parseArgs(argv: readonly string[], env: Environment): ParsedArgs {
  const commandLine = readCommandLine(argv)
  const config = buildConfig(commandLine.flagValues, env)
  return {
    command: commandLine.command,
    config,
    commandFlags: commandLine.commandFlags,
    isHelpRequested: commandLine.isHelpRequested,
    ...(commandLine.helpTopic === undefined ? {} : { helpTopic: commandLine.helpTopic }),
  }
}
