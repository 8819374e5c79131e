import { describe, expect, test } from 'bun:test'
import { commandUsage, globalUsage } from '../../src/cli/usage.ts'
import { COMMANDS, GLOBAL_FLAGS } from '../../src/config/index.ts'

function usageOf(name: string): string {
  const spec = COMMANDS.find((command) => command.name === name)
  if (spec === undefined) {
    throw new Error(`no command ${name}`)
  }
  return commandUsage(spec)
}

// The lines from a flag's first line up to the next flag, i.e. everything said about it.
function flagBlock(usage: string, name: string): string {
  const lines = usage.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`  --${name}`))
  const next = lines.findIndex((line, index) => index > start && /^ {2}-/.test(line))
  return lines.slice(start, next === -1 ? undefined : next).join('\n')
}

describe('prunner help', () => {
  test('shows each global flag with its own default and env var', () => {
    const usage = globalUsage()

    for (const spec of GLOBAL_FLAGS) {
      const block = flagBlock(usage, spec.name)
      expect(block).toContain(spec.description)
      expect(block).toContain(`$${spec.env}`)
      if (spec.defaultText !== undefined) {
        expect(block).toContain(`default: ${spec.defaultText}`)
      }
    }
    expect(flagBlock(usage, 'help')).toContain('--help, -h')
  })

  test('explains the flag syntax, the signals and where command details are', () => {
    const usage = globalUsage()

    expect(usage).toContain('prunner [flags] [command] [flags]')
    expect(usage).toContain('--name value, --name=value,\n-name value or -name=value')
    for (const signal of ['SIGINT    graceful', 'SIGTERM   forced', 'SIGUSR1   reload']) {
      expect(usage).toContain(signal)
    }
    expect(usage).toContain('"prunner help <command>"')
  })

  test('keeps every line of every usage text within 100 columns', () => {
    const texts = [globalUsage(), ...COMMANDS.map((spec) => commandUsage(spec))]

    for (const line of texts.flatMap((text) => text.split('\n'))) {
      expect(line.length).toBeLessThanOrEqual(100)
    }
  })
})

describe('prunner help <command>', () => {
  test('validate names its own flags, the global flags it reads and its exit code', () => {
    const usage = usageOf('validate')

    expect(usage).toContain('prunner [flags] validate [--json] [--strict]')
    expect(usage).toContain('<file>:<line>:<column>: error|warning: <message>')
    for (const flag of ['--json', '--strict', '--path <dir>', '--pattern <glob>', '--shell']) {
      expect(usage).toContain(`  ${flag}`)
    }
    expect(usage).not.toContain('--config')
    expect(usage).toContain('Exit code: 0 without errors')
  })

  test('debug explains MINIMAL_OUTPUT and where the secret comes from', () => {
    const usage = usageOf('debug')

    expect(usage).toContain('MINIMAL_OUTPUT=1')
    expect(usage).toContain('never expires')
    for (const flag of ['--config <file>', '--jwt-secret <secret>', '--env-files <files>']) {
      expect(usage).toContain(`  ${flag}`)
    }
  })

  test('version and help say what they print and that they read no file', () => {
    expect(usageOf('version')).toContain('without a leading "v"')
    expect(usageOf('version')).toContain('Reads no file.')
    expect(usageOf('help')).toContain('prunner [flags] help [command]')
    expect(usageOf('help')).toContain('reads no file')
  })
})
