import { findCommand } from '../config/index.ts'
import { writeStdout } from './output.ts'
import { commandUsage, globalUsage } from './usage.ts'

/** `help [command]`, `h`, `--help`, `-h`: usage to stdout, exit 0, no file read (SPEC §2.3). */
export async function runHelp(topic: string | undefined): Promise<number> {
  const spec = topic === undefined ? undefined : findCommand(topic)
  await writeStdout(spec === undefined ? globalUsage() : commandUsage(spec))
  return 0
}
