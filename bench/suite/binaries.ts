import { join, resolve } from 'node:path'
import { compileBinary, hostTarget } from '../../scripts/release/index.ts'

export interface Binaries {
  prunner: string
  emptyServer: string
}

/**
 * Compiles prunner (unless `prebuilt` names a binary) and the empty baseline server into `dir`,
 * both with the release flags, for the machine this runs on.
 */
export async function buildBinaries(dir: string, prebuilt?: string): Promise<Binaries> {
  const target = hostTarget()
  if (target === undefined) {
    throw new Error(`no release target for ${process.platform}-${process.arch}`)
  }

  const prunner = prebuilt ?? join(dir, 'prunner')
  if (prebuilt === undefined) {
    await compileBinary({ target, version: 'dev', outfile: prunner })
  }
  const emptyServer = join(dir, 'empty-server')
  await compile(resolve(import.meta.dir, 'empty-server.ts'), emptyServer)
  return { prunner, emptyServer }
}

async function compile(entry: string, outfile: string): Promise<void> {
  const proc = Bun.spawn(
    [
      process.execPath,
      'build',
      '--compile',
      '--bytecode',
      '--format=esm',
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
      entry,
      '--outfile',
      outfile,
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  )
  const [output, exitCode] = await Promise.all([new Response(proc.stderr).text(), proc.exited])
  if (exitCode !== 0) {
    throw new Error(`compiling ${entry} failed:\n${output}`)
  }
}
