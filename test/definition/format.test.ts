import { describe, expect, test } from 'bun:test'
import { join, relative, resolve } from 'node:path'
import {
  type DefinitionSet,
  formatDiagnostic,
  formatValidateJson,
  formatValidateText,
  loadDefinitions,
} from '../../src/definition/index.ts'

const FIXTURES = relative(process.cwd(), resolve(import.meta.dir, '../fixtures/pipelines'))

function loadFixtures(): Promise<DefinitionSet> {
  return loadDefinitions({
    path: FIXTURES,
    pattern: '{valid,invalid}/pipelines.yml',
    checkShells: true,
  })
}

describe('validate output (SPEC §2.4)', () => {
  test('formats one diagnostic as file:line:column: severity: message', () => {
    const diagnostic = { file: 'a.yml', line: 3, column: 7, message: 'bad' }
    expect(formatDiagnostic({ ...diagnostic, severity: 'error' })).toBe('a.yml:3:7: error: bad')
    expect(formatDiagnostic({ ...diagnostic, severity: 'warning' })).toBe('a.yml:3:7: warning: bad')
  })

  test('prints errors and warnings sorted by position, then the summary', async () => {
    const file = join(FIXTURES, 'invalid/pipelines.yml')
    expect(formatValidateText(await loadFixtures())).toBe(
      [
        `${file}:3:18: error: invalid pipeline definition "broken": concurrency must be greater than 0`,
        `${file}:4:5: warning: unknown key "unknown_setting" in pipeline "broken"`,
        `${file}:7:22: error: invalid pipeline definition "broken": missing task "missing" referenced in depends_on of task "a"`,
        `${file}:9:22: warning: retention_count is negative and is treated as 0 (off)`,
        `${file}:10:12: warning: shell "prunner-test-no-such-shell" not found on PATH`,
        '3 pipelines in 2 files: 2 errors, 3 warnings',
        '',
      ].join('\n'),
    )
  })

  test('prints only the summary for clean definitions', async () => {
    const set = await loadDefinitions({ path: join(FIXTURES, 'valid'), pattern: 'pipelines.yml' })
    expect(formatValidateText(set)).toBe('2 pipelines in 1 files: 0 errors, 0 warnings\n')
  })

  test('writes one JSON object with files, loaded pipelines and diagnostics', async () => {
    const output = formatValidateJson(await loadFixtures())
    expect(output.endsWith('}\n')).toBe(true)
    expect(output.split('\n')).toHaveLength(2)

    const file = join(FIXTURES, 'invalid/pipelines.yml')
    expect(JSON.parse(output)).toEqual({
      files: [file, join(FIXTURES, 'valid/pipelines.yml')],
      pipelines: ['build', 'fine', 'release'],
      errors: [
        {
          file,
          line: 3,
          column: 18,
          message: 'invalid pipeline definition "broken": concurrency must be greater than 0',
        },
        {
          file,
          line: 7,
          column: 22,
          message:
            'invalid pipeline definition "broken": missing task "missing" referenced in depends_on of task "a"',
        },
      ],
      warnings: [
        { file, line: 4, column: 5, message: 'unknown key "unknown_setting" in pipeline "broken"' },
        {
          file,
          line: 9,
          column: 22,
          message: 'retention_count is negative and is treated as 0 (off)',
        },
        {
          file,
          line: 10,
          column: 12,
          message: 'shell "prunner-test-no-such-shell" not found on PATH',
        },
      ],
    })
  })
})
