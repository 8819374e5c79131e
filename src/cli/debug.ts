import { jwt } from '@elysiajs/jwt'
import { type Config, loadEnvFiles, resolveSecret } from '../config/index.ts'
import type { Logger } from '../log/index.ts'
import { writeStderr, writeStdout } from './output.ts'

/**
 * `prunner debug` (SPEC §2.5): a never-expiring HS256 token whose payload is only `iat`, for
 * calling the API by hand or from scripts (`MINIMAL_OUTPUT=1`).
 */
export async function runDebug({
  config,
  logger,
}: {
  config: Config
  logger: Logger
}): Promise<number> {
  const configLogger = logger.child({ component: 'config' })
  loadEnvFiles(config.envFiles, configLogger)
  const secret = await resolveSecret(config, configLogger)
  const token = await signDebugToken(secret)

  // Read after the env files, so a `.env` may ask for the minimal form too.
  if (process.env.MINIMAL_OUTPUT === '1') {
    await writeStdout(`Bearer ${token}`)
  } else {
    await writeStderr(
      `Send the following HTTP header for JWT authorization:\n    Authorization: Bearer ${token}\n`,
    )
  }
  return 0
}

/** Header `{"alg":"HS256","typ":"JWT"}`, payload `{"iat":<now>}`: no `sub`, no `exp`. */
export function signDebugToken(secret: string): Promise<string> {
  // The plugin sets `iat` itself; the same library verifies tokens in the server.
  return jwt({ secret }).decorator.jwt.sign({})
}
