import { runCli } from './cli/index.ts'

// Entry point of the compiled binary: argv in, exit code out; everything else lives in cli/.
const exitCode = await runCli(process.argv.slice(2))
process.exit(exitCode)
