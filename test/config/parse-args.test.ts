import { describe, expect, test } from 'bun:test'
import { parseArgs, readCommandLine } from '../../src/config/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'

function errorOf(run: () => unknown): PrunnerError {
  try {
    run()
  } catch (error) {
    if (error instanceof PrunnerError) {
      return error
    }

    throw error
  }
  throw new Error('expected a PrunnerError')
}

describe('parseArgs', () => {
  test('uses the documented defaults when neither flags nor env vars are given', () => {
    const { command, config } = parseArgs([], {})

    expect(command).toBe('serve')
    expect(config).toEqual({
      verbose: false,
      disableAnsi: false,
      configFile: '.prunner.yml',
      dataDir: '.prunner',
      pattern: '**/pipelines.{yml,yaml}',
      path: '.',
      address: 'localhost:9009',
      envFiles: ['.env', '.env.local'],
      watch: false,
      pollIntervalMs: 30_000,
      enableProfiling: false,
      metricsPublic: false,
    })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.envFiles)).toBe(true)
  })

  test('accepts --name value, --name=value, -name value and -name=value', () => {
    const argv = ['--data', 'd1', '--path=p1', '-pattern', '*.yml', '-address=:1234']
    const { config } = parseArgs(argv, {})

    expect(config.dataDir).toBe('d1')
    expect(config.path).toBe('p1')
    expect(config.pattern).toBe('*.yml')
    expect(config.address).toBe(':1234')
  })

  test('accepts global flags before and after the command', () => {
    const { command, config } = parseArgs(['-v', 'debug', '--watch', '--config', 'x.yml'], {})

    expect(command).toBe('debug')
    expect(config.verbose).toBe(true)
    expect(config.watch).toBe(true)
    expect(config.configFile).toBe('x.yml')
  })

  test('sets a bool flag by its bare name or by =true and =false', () => {
    expect(parseArgs(['--enable-profiling'], {}).config.enableProfiling).toBe(true)
    expect(parseArgs(['--verbose=false'], { PRUNNER_VERBOSE: 'true' }).config.verbose).toBe(false)
    expect(parseArgs(['--disable-ansi=T'], {}).config.disableAnsi).toBe(true)
  })

  test('prefers the flag over the env var and the env var over the default', () => {
    const env = { PRUNNER_DATA: 'from-env', PRUNNER_ADDRESS: '127.0.0.1:1' }
    const { config } = parseArgs(['--data', 'from-flag'], env)

    expect(config.dataDir).toBe('from-flag')
    expect(config.address).toBe('127.0.0.1:1')
  })

  test('reads Go boolean spellings from env vars and an empty one as false', () => {
    for (const text of ['1', 't', 'T', 'true', 'TRUE', 'True']) {
      expect(parseArgs([], { PRUNNER_WATCH: text }).config.watch).toBe(true)
    }
    for (const text of ['0', 'f', 'F', 'false', 'FALSE', 'False', '']) {
      expect(parseArgs([], { PRUNNER_WATCH: text }).config.watch).toBe(false)
    }
  })

  test('rejects any other boolean env value with the spec message', () => {
    const error = errorOf(() => parseArgs([], { PRUNNER_VERBOSE: 'yes' }))

    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toBe(
      'invalid value "yes" for env var PRUNNER_VERBOSE: expected a boolean',
    )
  })

  test('collects --env-files from repeated and comma-separated flags', () => {
    const argv = ['--env-files', 'a.env, b.env', '--env-files=c.env']
    const { config } = parseArgs(argv, { PRUNNER_ENV_FILES: 'ignored.env' })

    expect(config.envFiles).toEqual(['a.env', 'b.env', 'c.env'])
  })

  test('splits PRUNNER_ENV_FILES at commas and trims every item', () => {
    const { config } = parseArgs([], { PRUNNER_ENV_FILES: ' one.env ,two.env ' })

    expect(config.envFiles).toEqual(['one.env', 'two.env'])
  })

  test('loads no env file for --env-files with an empty value', () => {
    expect(parseArgs(['--env-files', ''], {}).config.envFiles).toEqual([])
  })

  test('reads --poll-interval as a duration in milliseconds', () => {
    expect(parseArgs(['--poll-interval', '1m30s'], {}).config.pollIntervalMs).toBe(90_000)
    expect(parseArgs(['--poll-interval=500ms'], {}).config.pollIntervalMs).toBe(500)
    expect(parseArgs([], { PRUNNER_POLL_INTERVAL: '2s' }).config.pollIntervalMs).toBe(2000)
  })

  test('rejects a poll interval that is zero, negative or malformed', () => {
    const cases: [string, string][] = [
      ['0', 'must be greater than 0'],
      ['-5s', 'must be greater than 0'],
      ['10', 'needs a unit, e.g. "30s"'],
      ['5d', 'invalid duration'],
      ['fast', 'invalid duration'],
    ]
    for (const [value, reason] of cases) {
      const error = errorOf(() => parseArgs(['--poll-interval', value], {}))
      expect(error.message).toBe(`invalid value "${value}" for flag --poll-interval: ${reason}`)
    }
  })

  test('leaves jwtSecret and shell unset when they are empty', () => {
    const { config } = parseArgs(['--shell', ''], { PRUNNER_JWT_SECRET: '' })

    expect('jwtSecret' in config).toBe(false)
    expect('shell' in config).toBe(false)
  })

  test('takes the secret and the shell from env vars', () => {
    const env = { PRUNNER_JWT_SECRET: 's'.repeat(16), PRUNNER_SHELL: 'dash' }
    const { config } = parseArgs([], env)

    expect(config.jwtSecret).toBe('s'.repeat(16))
    expect(config.shell).toBe('dash')
  })
})

describe('readCommandLine', () => {
  test('reports an unknown flag by its single-dash name', () => {
    const error = errorOf(() => readCommandLine(['--nope=1']))

    expect(error.code).toBe('USAGE')
    expect(error.message).toBe('flag provided but not defined: -nope')
  })

  test('reports an unknown command and any extra positional argument', () => {
    expect(errorOf(() => readCommandLine(['serve'])).message).toBe('unknown command "serve"')
    expect(errorOf(() => readCommandLine(['version', 'x'])).message).toBe('unknown command "x"')
    expect(errorOf(() => readCommandLine(['--', '-v'])).message).toBe('unknown command "-v"')
  })

  test('reports a value flag at the end of argv as a usage error', () => {
    const error = errorOf(() => readCommandLine(['--data']))

    expect(error.code).toBe('USAGE')
    expect(error.message).toBe('flag needs an argument: -data')
  })

  test('rejects three dashes as bad flag syntax', () => {
    expect(errorOf(() => readCommandLine(['---verbose'])).code).toBe('USAGE')
  })

  test('reads the validate flags only after the command word', () => {
    const commandLine = readCommandLine(['validate', '--strict', '--path', 'x'])

    expect(commandLine.command).toBe('validate')
    expect(commandLine.commandFlags).toEqual({ json: false, strict: true })
    expect(errorOf(() => readCommandLine(['--json', 'validate'])).code).toBe('USAGE')
  })

  test('rejects a malformed bool flag value as a config error', () => {
    const error = errorOf(() => readCommandLine(['validate', '--json=maybe']))

    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toBe('invalid value "maybe" for flag --json: expected a boolean')
  })

  test('turns help, h, --help and -h into a help request with an optional topic', () => {
    expect(readCommandLine(['help'])).toMatchObject({ isHelpRequested: true })
    expect(readCommandLine(['h', 'validate'])).toMatchObject({ helpTopic: 'validate' })
    expect(readCommandLine(['--help'])).toMatchObject({ isHelpRequested: true })
    expect(readCommandLine(['debug', '-h'])).toMatchObject({
      isHelpRequested: true,
      helpTopic: 'debug',
    })
    expect(errorOf(() => readCommandLine(['help', 'nope'])).message).toBe('unknown command "nope"')
  })

  test('takes the next argument as a value even when it starts with a dash', () => {
    const { flagValues } = readCommandLine(['--jwt-secret', '-not-a-flag-0123'])

    expect(flagValues.get('jwt-secret')).toEqual(['-not-a-flag-0123'])
  })
})
