import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const MAIN = resolve(import.meta.dir, '../../src/main.ts')

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * Runs `bun src/main.ts <args>` in `cwd` with only the given env vars (plus PATH). `--no-env-file`
 * stops Bun itself from loading `.env` from cwd, as the release binary is built to do.
 */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  const proc = Bun.spawn([process.execPath, '--no-env-file', MAIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { exitCode, stdout, stderr }
}

/** The logfmt records in `stderr`, each as a map of key to decoded value. */
export function logRecords(stderr: string): Record<string, string>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('time='))
    .map((line) => {
      const record: Record<string, string> = {}
      for (const match of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
        const [, key = '', raw = ''] = match
        record[key] = raw.startsWith('"') ? JSON.parse(raw) : raw
      }
      return record
    })
}

/** A fresh temp directory per test, removed by `removeTempDirs`. */
export function makeTempDir(made: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'prunner-cli-'))
  made.push(dir)
  return dir
}

export function removeTempDirs(made: string[]): void {
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
}
