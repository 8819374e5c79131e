import { writeStdout } from './output.ts'

// Stamped by `bun build --define PRUNNER_VERSION='"2.0.0"'`; absent when running from source.
declare const PRUNNER_VERSION: string

/** The release version without a leading `v`, or `dev` for an unstamped build. */
export function currentVersion(): string {
  const stamped = typeof PRUNNER_VERSION === 'string' ? PRUNNER_VERSION : ''
  return stamped === '' ? 'dev' : stamped.replace(/^v/, '')
}

/** `prunner version` (SPEC §2.3): reads no file. */
export async function runVersion(): Promise<number> {
  await writeStdout(`${currentVersion()}\n`)
  return 0
}
