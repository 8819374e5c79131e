import type { Config } from '../config/index.ts'
import { formatValidateJson, formatValidateText, loadDefinitions } from '../definition/index.ts'
import { writeStdout } from './output.ts'

export interface ValidateFlags {
  /** One JSON object instead of diagnostic lines. */
  json: boolean
  /** Warnings fail the run too. */
  strict: boolean
}

/**
 * `prunner validate` (SPEC §2.4): the full loader with shell checks (the `shell` keys and
 * `--shell`), the report on stdout, exit 1 on any error (with `--strict` also on a warning).
 * Reads no config or env file.
 */
export async function runValidate(config: Config, flags: ValidateFlags): Promise<number> {
  const set = await loadDefinitions({
    path: config.path,
    pattern: config.pattern,
    checkShells: true,
    shellFlag: config.shell,
  })
  const report = flags.json ? formatValidateJson(set) : formatValidateText(set)
  await writeStdout(report.endsWith('\n') ? report : `${report}\n`)

  const hasFailed = set.errors.length > 0 || (flags.strict && set.warnings.length > 0)
  return hasFailed ? 1 : 0
}
