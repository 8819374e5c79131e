import { afterEach, describe, expect, test } from 'bun:test'
import { GLOBAL_FLAGS } from '../../src/config/index.ts'
import { logRecords, makeTempDir, removeTempDirs, runCli } from './run-cli.ts'

const dirs: string[] = []

afterEach(() => {
  removeTempDirs(dirs)
})

async function run(args: string[], env?: Record<string, string>) {
  return runCli(args, { cwd: makeTempDir(dirs), ...(env === undefined ? {} : { env }) })
}

function expectStartupFailure(result: { exitCode: number; stderr: string }, error: string): void {
  expect(result.exitCode).toBe(1)
  const records = logRecords(result.stderr)
  expect(records).toHaveLength(1)
  expect(records[0]).toMatchObject({ level: 'fatal', msg: 'startup failed', error })
}

describe('prunner version', () => {
  test('prints dev and a newline for an unstamped build', async () => {
    const result = await run(['version'])

    expect(result).toEqual({ exitCode: 0, stdout: 'dev\n', stderr: '' })
  })
})

describe('prunner help', () => {
  test('lists every flag with its env var and every command on stdout', async () => {
    for (const args of [['help'], ['h'], ['--help'], ['-h']]) {
      const result = await run(args)

      expect(result.exitCode).toBe(0)
      expect(result.stderr).toBe('')
      for (const spec of GLOBAL_FLAGS) {
        expect(result.stdout).toContain(`--${spec.name}`)
        expect(result.stdout).toContain(`$${spec.env}`)
      }
      for (const command of ['validate', 'debug', 'version', 'help']) {
        expect(result.stdout).toContain(`\n  ${command}`)
      }
    }
  })

  test('shows the usage of one command for help <command> and <command> --help', async () => {
    for (const args of [
      ['help', 'validate'],
      ['validate', '--help'],
    ]) {
      const result = await run(args)

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('prunner [flags] validate [--json] [--strict]')
      expect(result.stdout).toContain('--strict')
    }
  })
})

describe('usage errors', () => {
  test('an unknown flag prints Incorrect Usage and the usage text and exits 1', async () => {
    const result = await run(['--nope', 'version'])

    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toStartWith('Incorrect Usage: flag provided but not defined: -nope\n\n')
    expect(result.stderr).toContain('Usage:')
  })

  test('an unknown command prints Incorrect Usage and the usage text and exits 1', async () => {
    const result = await run(['frobnicate'])

    expect(result.exitCode).toBe(1)
    expect(result.stderr).toStartWith('Incorrect Usage: unknown command "frobnicate"\n\n')
    expect(result.stderr).toContain('--poll-interval')
  })
})

describe('bad values', () => {
  test('a malformed boolean env var fails startup with the spec message', async () => {
    const result = await run(['version'], { PRUNNER_WATCH: 'yes' })

    expectStartupFailure(
      result,
      'invalid value "yes" for env var PRUNNER_WATCH: expected a boolean',
    )
  })

  test('a zero or negative poll interval fails even without --watch', async () => {
    for (const value of ['0', '-1s']) {
      const result = await run([`--poll-interval=${value}`, 'version'])

      expectStartupFailure(
        result,
        `invalid value "${value}" for flag --poll-interval: must be greater than 0`,
      )
    }
  })

  test('a poll interval without a unit fails with a reason', async () => {
    const result = await run(['version', '--poll-interval', '10'])

    expectStartupFailure(
      result,
      'invalid value "10" for flag --poll-interval: needs a unit, e.g. "30s"',
    )
  })
})
