import {
  buildConfig,
  type CommandLine,
  type Config,
  findCommand,
  readCommandLine,
  readLogSettings,
} from '../config/index.ts'
import { createStderrLogger, type Logger } from '../log/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import { runHelp } from './help.ts'
import { writeStderr } from './output.ts'
import { commandUsage, globalUsage } from './usage.ts'
import { runVersion } from './version.ts'

/**
 * Runs one prunner invocation and resolves with its exit code (SPEC §2.8): usage errors print
 * `Incorrect Usage: ...` and the usage text; any other failure writes one fatal
 * `startup failed` record.
 */
export async function runCli(argv: string[]): Promise<number> {
  const parsed = readArgv(argv)
  if (parsed instanceof Error) {
    return reportFailure(parsed, new Map(), argv)
  }

  if (parsed.isHelpRequested) {
    return runHelp(parsed.helpTopic)
  }

  let config: Config
  try {
    config = buildConfig(parsed.flagValues, process.env)
  } catch (error) {
    return reportFailure(error, parsed.flagValues, argv)
  }

  const logger = createStderrLogger(config)
  try {
    return await runCommand(parsed, config, logger)
  } catch (error) {
    logStartupFailure(logger, error)
    return 1
  }
}

function readArgv(argv: string[]): CommandLine | Error {
  try {
    return readCommandLine(argv)
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

// Commands are imported on demand: `version` should not load the HTTP server, and each command
// only needs its own dependencies to be present.
async function runCommand(parsed: CommandLine, config: Config, logger: Logger): Promise<number> {
  switch (parsed.command) {
    case 'serve': {
      const { serve } = await import('./serve.ts')
      return serve({ config, logger })
    }
    case 'validate': {
      const { runValidate } = await import('./validate.ts')
      return runValidate(config, {
        json: parsed.commandFlags.json === true,
        strict: parsed.commandFlags.strict === true,
      })
    }
    case 'debug': {
      const { runDebug } = await import('./debug.ts')
      return runDebug({ config, logger })
    }
    case 'version':
      return runVersion()
    case 'help':
      return runHelp(parsed.helpTopic)
  }
}

// Before a Config exists the logger takes whatever verbose/disable-ansi values can be read.
async function reportFailure(
  error: unknown,
  flagValues: CommandLine['flagValues'],
  argv: string[],
): Promise<number> {
  if (error instanceof PrunnerError && error.code === 'USAGE') {
    await writeStderr(`Incorrect Usage: ${error.message}\n\n${usageFor(argv)}`)
    return 1
  }

  logStartupFailure(createStderrLogger(readLogSettings(flagValues, process.env)), error)
  return 1
}

function logStartupFailure(logger: Logger, error: unknown): void {
  logger.fatal('startup failed', { component: 'cli', error: errorMessage(error) })
}

// The usage of the command the user was typing, if its word came before the mistake.
function usageFor(argv: string[]): string {
  const word = argv.find((arg) => findCommand(arg) !== undefined)
  const spec = word === undefined ? undefined : findCommand(word)
  return spec === undefined || spec.name === 'help' ? globalUsage() : commandUsage(spec)
}
