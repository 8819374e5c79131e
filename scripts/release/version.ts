import { REPO_ROOT } from './compile.ts'

// Semantic versions only (or `dev`, for local and container builds): the Composer installer
// builds download URLs from them, and a typo such as a path or a branch name should stop the
// release before five builds run.
const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/

/**
 * The version to stamp: `--version`, else `RELEASE_VERSION`, else the git tag on HEAD; a leading
 * `v` is dropped, since `prunner version` and the archive names carry none (SPEC §2.3, §10.4).
 */
export async function resolveVersion(
  flagValue: string | undefined,
  env: Record<string, string | undefined>,
): Promise<string> {
  const raw = flagValue ?? env.RELEASE_VERSION ?? (await exactGitTag())
  if (raw === undefined || raw === '') {
    throw new Error('no version: pass --version 2.0.0, set RELEASE_VERSION, or tag HEAD (v2.0.0)')
  }

  const version = raw.replace(/^v/, '')
  if (version !== 'dev' && !VERSION_PATTERN.test(version)) {
    throw new Error(`invalid version "${raw}": expected a semantic version such as 2.0.0`)
  }
  return version
}

// No git, or no tag on HEAD, simply means the version must come from elsewhere.
async function exactGitTag(): Promise<string | undefined> {
  if (Bun.which('git') === null) {
    return undefined
  }

  const proc = Bun.spawn(['git', 'describe', '--tags', '--exact-match', 'HEAD'], {
    cwd: REPO_ROOT,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'ignore',
  })
  const [stdout, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited])
  return exitCode === 0 ? stdout.trim() : undefined
}
