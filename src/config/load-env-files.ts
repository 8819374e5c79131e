import { readFileSync } from 'node:fs'
import type { Logger } from '../log/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import { parseEnvText } from './env-file.ts'
import { describeFsError, errorCode } from './fs-error.ts'

/**
 * Loads dotenv files in order into `process.env` (SPEC §2.6). Every key overrides what was there,
 * so a later file wins; a missing file is skipped. Throws PrunnerError `ENV_FILE_INVALID` with
 * `loading env file <file>: ...`; nothing of a file with an error is applied.
 */
export function loadEnvFiles(files: readonly string[], logger: Logger): void {
  for (const file of files) {
    const text = readEnvFile(file)
    if (text === undefined) {
      logger.debug('env file not found', { file })
      continue
    }

    for (const [key, value] of parseFile(file, text)) {
      process.env[key] = value
    }
    logger.debug('env file loaded', { file })
  }
}

function readEnvFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return undefined
    }

    throw new PrunnerError(
      'ENV_FILE_INVALID',
      `loading env file ${file}: ${describeFsError(error, 'open', file)}`,
      { cause: error },
    )
  }
}

function parseFile(file: string, text: string): Map<string, string> {
  try {
    return parseEnvText(text, (name) => process.env[name])
  } catch (error) {
    throw new PrunnerError('ENV_FILE_INVALID', `loading env file ${file}: ${errorMessage(error)}`, {
      cause: error,
    })
  }
}
