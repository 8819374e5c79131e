import { describe, expect, test } from 'bun:test'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { definitionsEqual, formatDiagnostic, loadDefinitions } from '../../src/definition/index.ts'
import { withFiles } from './helpers.ts'

const FIXTURES = relative(process.cwd(), resolve(import.meta.dir, '../fixtures/pipelines'))
const PATTERN = '**/pipelines.{yml,yaml}'

describe('discovery (SPEC §4.1)', () => {
  test('finds files in every directory, hidden ones too, named relative to the cwd', async () => {
    const set = await loadDefinitions({ path: join(FIXTURES, 'multi'), pattern: PATTERN })
    expect(set.files).toEqual([
      join(FIXTURES, 'multi/.hidden/deep/pipelines.yml'),
      join(FIXTURES, 'multi/a/pipelines.yml'),
      join(FIXTURES, 'multi/b/pipelines.yaml'),
    ])
    expect(set.pipelines.get('alpha')?.file).toBe(join(FIXTURES, 'multi/a/pipelines.yml'))
  })

  test('lets a later file fail on a pipeline name an earlier file declared', async () => {
    const set = await loadDefinitions({ path: join(FIXTURES, 'multi'), pattern: PATTERN })
    expect([...set.pipelines.keys()].sort()).toEqual(['alpha', 'beta', 'hidden', 'shared'])
    expect(set.pipelines.get('shared')?.file).toBe(join(FIXTURES, 'multi/a/pipelines.yml'))
    expect(set.errors.map(formatDiagnostic)).toEqual([
      `${join(FIXTURES, 'multi/b/pipelines.yaml')}:3:3: error: pipeline "shared" was already declared in ${join(FIXTURES, 'multi/a/pipelines.yml')}`,
    ])
  })

  test('reports a literal path that does not exist', async () => {
    const set = await loadDefinitions({ path: FIXTURES, pattern: 'nope/pipelines.yml' })
    const glob = join(FIXTURES, 'nope/pipelines.yml')
    expect(set.errors).toEqual([
      {
        file: glob,
        line: 0,
        column: 0,
        severity: 'error',
        message: `finding files with glob: ${glob}: file does not exist`,
      },
    ])
  })

  test('reports a fixed directory prefix that does not exist', async () => {
    const set = await loadDefinitions({ path: 'prunner-no-such-dir', pattern: PATTERN })
    expect(set.errors.map(formatDiagnostic)).toEqual([
      `prunner-no-such-dir/${PATTERN}:0:0: error: finding files with glob: prunner-no-such-dir: no such file or directory`,
    ])
  })

  test('finding no file is fine for the server but an error for validate', async () => {
    const options = { path: join(FIXTURES, 'multi'), pattern: '**/nothing-*.yml' }
    const server = await loadDefinitions(options)
    expect(server.files).toEqual([])
    expect(server.errors).toEqual([])

    const validate = await loadDefinitions({ ...options, checkShells: true })
    const glob = join(FIXTURES, 'multi/**/nothing-*.yml')
    expect(validate.errors.map(formatDiagnostic)).toEqual([
      `${glob}:0:0: error: no files match ${glob}`,
    ])
  })

  test('uses an absolute pattern alone', async () => {
    const pattern = resolve(FIXTURES, 'multi/a/*.yml')
    const set = await loadDefinitions({ path: 'ignored', pattern })
    expect(set.files).toEqual([
      resolve(FIXTURES, 'multi/a/other.yml'),
      resolve(FIXTURES, 'multi/a/pipelines.yml'),
    ])
  })

  test('matches * within one directory level only', async () => {
    const set = await loadDefinitions({ path: join(FIXTURES, 'multi'), pattern: '*/pipelines.yml' })
    expect(set.files).toEqual([join(FIXTURES, 'multi/a/pipelines.yml')])
  })

  test('follows symlinked directories, each real directory once', async () => {
    await withFiles({ 'real/pipelines.yml': 'pipelines:\n  p: ~\n' }, async (dir) => {
      await symlink(join(dir, 'real'), join(dir, 'alias'))
      await symlink(dir, join(dir, 'real', 'loop'))
      const set = await loadDefinitions({ path: dir, pattern: PATTERN })
      expect(set.files).toEqual([join(dir, 'alias/pipelines.yml')])
      expect(set.errors).toEqual([])
    })
  })

  test('loads files in byte-wise order of their names', async () => {
    const files = {
      'b/pipelines.yml': 'pipelines:\n  p: ~\n',
      'B/pipelines.yml': 'pipelines:\n  p: ~\n',
    }
    await withFiles(files, async (dir) => {
      const set = await loadDefinitions({ path: dir, pattern: PATTERN })
      expect(set.files).toEqual([join(dir, 'B/pipelines.yml'), join(dir, 'b/pipelines.yml')])
      expect(set.errors[0]?.message).toBe(
        `pipeline "p" was already declared in ${join(dir, 'B/pipelines.yml')}`,
      )
    })
  })

  test('reports a file it cannot read at line 0', async () => {
    await withFiles({}, async (dir) => {
      await mkdir(join(dir, 'pipelines.yml'))
      const set = await loadDefinitions({ path: dir, pattern: 'pipelines.yml' })
      expect(set.errors).toHaveLength(1)
      expect(set.errors[0]).toMatchObject({ file: join(dir, 'pipelines.yml'), line: 0, column: 0 })
      expect(set.errors[0]?.message).toStartWith('reading file: ')
    })
  })
})

describe('shell check for validate', () => {
  test('warns about shells that are not on PATH', async () => {
    const yaml =
      'pipelines:\n  p:\n    shell: prunner-no-such-shell\n    tasks:\n      t: {shell: sh}\n'
    await withFiles({ 'pipelines.yml': yaml }, async (dir) => {
      const server = await loadDefinitions({ path: dir, pattern: PATTERN })
      expect(server.warnings).toEqual([])

      const validate = await loadDefinitions({ path: dir, pattern: PATTERN, checkShells: true })
      expect(validate.warnings.map(formatDiagnostic)).toEqual([
        `${join(dir, 'pipelines.yml')}:3:12: warning: shell "prunner-no-such-shell" not found on PATH`,
      ])
    })
  })

  test('warns about a --shell value that is not on PATH, under the flag name', async () => {
    await withFiles({ 'pipelines.yml': 'pipelines: {}\n' }, async (dir) => {
      const missing = 'prunner-no-such-shell'
      const validate = await loadDefinitions({
        path: dir,
        pattern: PATTERN,
        checkShells: true,
        shellFlag: missing,
      })
      expect(validate.warnings.map(formatDiagnostic)).toEqual([
        `--shell:0:0: warning: shell "${missing}" not found on PATH`,
      ])

      const found = { path: dir, pattern: PATTERN, checkShells: true }
      expect((await loadDefinitions({ ...found, shellFlag: 'sh' })).warnings).toEqual([])
      expect((await loadDefinitions({ ...found, shellFlag: '/bin/sh' })).warnings).toEqual([])
      const server = await loadDefinitions({ path: dir, pattern: PATTERN, shellFlag: missing })
      expect(server.warnings).toEqual([])
    })
  })
})

describe('definitionsEqual (SPEC §4.8)', () => {
  const yaml =
    'pipelines:\n  p:\n    tasks:\n      t: {script: [echo a]}\n    on_error: {script: [x]}\n'

  test('is true for two loads of the same files', async () => {
    await withFiles({ 'pipelines.yml': yaml }, async (dir) => {
      const first = await loadDefinitions({ path: dir, pattern: PATTERN })
      const second = await loadDefinitions({ path: dir, pattern: PATTERN })
      expect(definitionsEqual(first, second)).toBe(true)
    })
  })

  test('sees a change in any key, on_error included', async () => {
    await withFiles({ 'pipelines.yml': yaml }, async (dir) => {
      const before = await loadDefinitions({ path: dir, pattern: PATTERN })
      for (const changed of [
        yaml.replace('echo a', 'echo b'),
        yaml.replace('[x]', '[y]'),
        yaml.replace('    tasks:', '    queue_partition_limit: ~\n    concurrency: 2\n    tasks:'),
      ]) {
        await writeFile(join(dir, 'pipelines.yml'), changed)
        const after = await loadDefinitions({ path: dir, pattern: PATTERN })
        expect(definitionsEqual(before, after)).toBe(false)
      }
    })
  })

  test('sees a file moved to another name', async () => {
    await withFiles({ 'a/pipelines.yml': yaml }, async (dir) => {
      const before = await loadDefinitions({ path: dir, pattern: PATTERN })
      await mkdir(join(dir, 'b'))
      await writeFile(join(dir, 'b/pipelines.yml'), yaml)
      await writeFile(join(dir, 'a/pipelines.yml'), '')
      const after = await loadDefinitions({ path: dir, pattern: PATTERN })
      expect(definitionsEqual(before, after)).toBe(false)
    })
  })
})
