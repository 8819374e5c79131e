import { resolve } from 'node:path'
import type { ReleaseTarget } from './targets.ts'

export const REPO_ROOT = resolve(import.meta.dir, '../..')
export const ENTRY_POINT = 'src/main.ts'

export interface CompileOptions {
  target: ReleaseTarget
  version: string
  outfile: string
  /** Path of the bun executable; the one running this script by default. */
  bun?: string
}

/**
 * The `bun build --compile` command line for one target (STACK.md "Compiling"): no `--minify`,
 * which breaks Elysia hooks written as method shorthand; `--bytecode` for a faster start, which
 * needs `--format=esm` because bytecode output is CommonJS otherwise and top-level await fails;
 * and no `.env`/`bunfig.toml` autoload, since prunner reads env files itself (SPEC §2.6).
 */
export function compileCommand(options: CompileOptions): string[] {
  const { target, version, outfile, bun = process.execPath } = options
  return [
    bun,
    'build',
    '--compile',
    `--target=${target.bunTarget}`,
    '--bytecode',
    '--format=esm',
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    // The web UI's files, served from /$bunfs/root/static (src/ui/assets.ts).
    '--asset=src/ui/static',
    '--define',
    `PRUNNER_VERSION=${JSON.stringify(version)}`,
    ENTRY_POINT,
    '--outfile',
    outfile,
  ]
}

/** Compiles prunner for one target; rejects with bun's output when the build fails. */
export async function compileBinary(options: CompileOptions): Promise<void> {
  const proc = Bun.spawn(compileCommand(options), {
    cwd: REPO_ROOT,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  if (exitCode !== 0) {
    throw new Error(
      `bun build for ${options.target.bunTarget} exited with ${exitCode}:\n${stdout}${stderr}`,
    )
  }
}
