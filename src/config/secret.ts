import { readFile, writeFile } from 'node:fs/promises'
import { isMap, isScalar, parseAllDocuments, Scalar } from 'yaml'
import type { Logger } from '../log/index.ts'
import { PrunnerError } from '../shared/errors.ts'
import type { Config } from './config.ts'
import { describeFsError, errorCode } from './fs-error.ts'

const MIN_SECRET_BYTES = 16
const GENERATED_LENGTH = 32
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The HS256 secret (SPEC §3): `--jwt-secret`/`PRUNNER_JWT_SECRET` if given, else `jwt_secret`
 * from the config file, which is created with a random secret when missing. Throws PrunnerError
 * `CONFIG_INVALID` with the spec's message.
 */
export async function resolveSecret(config: Config, logger: Logger): Promise<string> {
  if (config.jwtSecret !== undefined && config.jwtSecret !== '') {
    requireLength(config.jwtSecret, 'invalid CLI config')
    return config.jwtSecret
  }

  const text = await readConfigFile(config.configFile)
  if (text === undefined) {
    return createConfigFile(config.configFile, logger)
  }

  const secret = readSecretFromYaml(text)
  requireLength(secret, 'invalid config')
  return secret
}

/** 32 characters from [0-9A-Za-z], each equally likely. */
export function generateSecret(): string {
  // 248 is the largest multiple of 62 that fits a byte; bytes above it would favour low digits.
  const limit = ALPHABET.length * Math.floor(256 / ALPHABET.length)
  let secret = ''
  while (secret.length < GENERATED_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(GENERATED_LENGTH))) {
      if (byte < limit && secret.length < GENERATED_LENGTH) {
        secret += ALPHABET[byte % ALPHABET.length]
      }
    }
  }
  return secret
}

/** The literal text of the top-level `jwt_secret` scalar; "" when absent or null. */
export function readSecretFromYaml(text: string): string {
  // Only the first document counts, as with Go's yaml Decoder; failsafe keeps every scalar a string.
  const first = parseAllDocuments(text, { schema: 'failsafe' })[0]
  const problem = first?.errors[0]
  if (problem !== undefined) {
    throw configError(`decoding config: ${firstLine(problem.message)}`)
  }

  const root = first?.contents ?? null
  if (root === null) {
    throw configError('invalid config: missing jwt_secret')
  }

  if (!isMap(root)) {
    throw configError('decoding config: the top level must be a mapping')
  }

  return scalarText(root.get('jwt_secret', true))
}

function scalarText(node: unknown): string {
  if (node === undefined || node === null) {
    throw configError('invalid config: missing jwt_secret')
  }

  if (!isScalar(node)) {
    throw configError('decoding config: jwt_secret must be a string')
  }

  const value = String(node.value)
  const isNull = node.type === Scalar.PLAIN && ['', '~', 'null', 'Null', 'NULL'].includes(value)
  if (isNull || value === '') {
    throw configError('invalid config: missing jwt_secret')
  }

  return value
}

async function readConfigFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return undefined
    }

    throw configError(`reading config file: ${describeFsError(error, 'open', file)}`, error)
  }
}

// `wx` fails instead of overwriting if another process created the file meanwhile; mode 0600
// because the file holds the secret (the Go original leaves it to the umask).
async function createConfigFile(file: string, logger: Logger): Promise<string> {
  const secret = generateSecret()
  try {
    await writeFile(file, `jwt_secret: ${secret}\n`, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    throw configError(`creating config file: ${describeFsError(error, 'open', file)}`, error)
  }

  logger.info('config file created', { file })
  return secret
}

function requireLength(secret: string, prefix: string): void {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw configError(`${prefix}: jwt_secret must be at least 16 characters long`)
  }
}

function configError(message: string, cause?: unknown): PrunnerError {
  return new PrunnerError('CONFIG_INVALID', message, { cause })
}

// yaml's messages continue with a source excerpt over several lines; the log field wants one.
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '')
}
