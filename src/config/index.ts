export { buildConfig, type Environment, readLogSettings } from './build-config.ts'
export { type CommandLine, readCommandLine } from './command-line.ts'
export type { CommandName, Config } from './config.ts'
export {
  COMMANDS,
  type CommandSpec,
  DEFAULTS,
  type FlagSpec,
  findCommand,
  GLOBAL_FLAGS,
} from './flags.ts'
export { loadEnvFiles } from './load-env-files.ts'
export { type ParsedArgs, parseArgs } from './parse-args.ts'
export { generateSecret, resolveSecret } from './secret.ts'
