// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are dotenv text, where ${VAR} is expansion syntax.

import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnvText } from '../../src/config/env-file.ts'
import { loadEnvFiles } from '../../src/config/index.ts'
import { Logger, type LogRecord } from '../../src/log/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'

const OUTER: Record<string, string> = { FROM_PROCESS: 'proc', HOME_DIR: '/home/x' }

function parse(text: string): Record<string, string> {
  return Object.fromEntries(parseEnvText(text, (name) => OUTER[name]))
}

function parseError(text: string): string {
  try {
    parseEnvText(text, () => undefined)
  } catch (error) {
    if (error instanceof PrunnerError && error.code === 'ENV_FILE_INVALID') {
      return error.message
    }

    throw error
  }
  throw new Error('expected a syntax error')
}

describe('parseEnvText', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['a plain pair', 'A=1', { A: '1' }],
    ['the export prefix', 'export B=2', { B: '2' }],
    ['a key named export', 'export=3', { export: '3' }],
    ['comment and blank lines', '# note\n\n  # indented\nA=1\n', { A: '1' }],
    ['a hash without a space before it', 'C=val#x', { C: 'val#x' }],
    ['a value starting with a hash', 'G=#x', { G: '#x' }],
    ['a trailing comment', 'D=val # comment', { D: 'val' }],
    ['an empty value', 'E=\nF=2', { E: '', F: '2' }],
    ['an empty value at the end of the text', 'E=', { E: '' }],
    ['trimmed unquoted values', 'I=   spaced  value   ', { I: 'spaced  value' }],
    ['spaces around the equals sign', 'K = v', { K: 'v' }],
    ['the YAML-style colon', 'Y: yes', { Y: 'yes' }],
    ['dots and digits in names', 'a.b_1=x', { 'a.b_1': 'x' }],
    ['literal single quotes', "S='a $FROM_PROCESS \\n # b'", { S: 'a $FROM_PROCESS \\n # b' }],
    ['escapes in double quotes', 'Q="a\\nb\\"c\\\\d"', { Q: 'a\nb"c\\d' }],
    ['a double-quoted value over two lines', 'M="one\ntwo"\nN=3', { M: 'one\ntwo', N: '3' }],
    ['a comment after a quoted value', 'J="x # y" # z', { J: 'x # y' }],
    ['an empty quoted value', 'Z=""', { Z: '' }],
    ['braced and bare expansion', 'A=1\nB=${A}-$A', { A: '1', B: '1-1' }],
    ['expansion from the process', 'P="$FROM_PROCESS/${HOME_DIR}"', { P: 'proc//home/x' }],
    ['an unknown variable', 'U=[$NOPE]', { U: '[]' }],
    ['an escaped dollar sign', 'V="\\$FROM_PROCESS"', { V: '$FROM_PROCESS' }],
    ['lower-case names staying literal', 'L=pa$word', { L: 'pa$word' }],
    ['a lone dollar sign', 'R=5$ and ${', { R: '5$ and ${' }],
    [
      'the same file overriding the process',
      'FROM_PROCESS=file\nX=$FROM_PROCESS',
      {
        FROM_PROCESS: 'file',
        X: 'file',
      },
    ],
    ['CRLF line breaks', 'A=1\r\nB="x"\r\n', { A: '1', B: 'x' }],
    ['a later line winning', 'A=1\nA=2', { A: '2' }],
  ]

  for (const [what, text, expected] of cases) {
    test(`reads ${what}`, () => {
      expect(parse(text)).toEqual(expected)
    })
  }

  test('removes the backslash before a dollar sign in unquoted values', () => {
    expect(parse('W=\\$FROM_PROCESS')).toEqual({ W: '$FROM_PROCESS' })
  })

  test('names the line and the reason of a syntax error', () => {
    expect(parseError('A=1\nBAD-KEY=1')).toBe('line 2: unexpected character "-" in variable name')
    expect(parseError('A="x\ny"\nB=1\nC="open')).toBe('line 4: unterminated quoted value')
    expect(parseError('\n\nJUSTKEY\nB=1')).toBe('line 3: missing "=" after variable name "JUSTKEY"')
    expect(parseError('=value')).toBe('line 1: missing variable name before "="')
    expect(parseError('NOT OK=1')).toBe('line 1: unexpected character " " in variable name')
    expect(parseError('A="x" y')).toBe('line 1: unexpected text after the closing quote')
  })
})

describe('loadEnvFiles', () => {
  const dirs: string[] = []
  const touchedKeys = ['PRUNNER_T_A', 'PRUNNER_T_B', 'PRUNNER_T_C']

  afterEach(() => {
    for (const key of touchedKeys) {
      delete process.env[key]
    }
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  function makeDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'prunner-env-'))
    dirs.push(dir)
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text)
    }
    return dir
  }

  function capture(): { logger: Logger; records: LogRecord[] } {
    const records: LogRecord[] = []
    return { logger: new Logger({ level: 'debug', sink: (r) => records.push(r) }), records }
  }

  test('lets a later file override an earlier one and the process', () => {
    process.env.PRUNNER_T_A = 'process'
    const dir = makeDir({
      '.env': 'PRUNNER_T_A=env\nPRUNNER_T_B=$PRUNNER_T_A',
      '.env.local': 'PRUNNER_T_A=local\nPRUNNER_T_C=${PRUNNER_T_B}+$PRUNNER_T_A',
    })
    const { logger, records } = capture()

    loadEnvFiles([join(dir, '.env'), join(dir, '.env.local')], logger)

    expect(process.env.PRUNNER_T_A).toBe('local')
    expect(process.env.PRUNNER_T_B).toBe('env')
    expect(process.env.PRUNNER_T_C).toBe('env+local')
    expect(records.map((r) => r.msg)).toEqual(['env file loaded', 'env file loaded'])
  })

  test('skips a missing file with a debug record', () => {
    const dir = makeDir({})
    const { logger, records } = capture()

    loadEnvFiles([join(dir, 'missing.env')], logger)

    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      level: 'debug',
      msg: 'env file not found',
      fields: { file: join(dir, 'missing.env') },
    })
  })

  test('fails with the file and line and applies nothing of that file', () => {
    const dir = makeDir({ bad: 'PRUNNER_T_A=1\nPRUNNER_T_B="open' })
    const file = join(dir, 'bad')

    expect(() => loadEnvFiles([file], capture().logger)).toThrow(
      `loading env file ${file}: line 2: unterminated quoted value`,
    )
    expect(process.env.PRUNNER_T_A).toBeUndefined()
  })
})
