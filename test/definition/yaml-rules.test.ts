import { describe, expect, test } from 'bun:test'
import { check, loadOne } from './helpers.ts'

describe('YAML documents (SPEC §4.2)', () => {
  test('reads only the first document and warns about the others', () => {
    const result = check('pipelines:\n  p: ~\n---\npipelines:\n  q: ~\n')
    expect([...result.pipelines.keys()]).toEqual(['p'])
    expect(result.warnings).toEqual(['3:1: only the first YAML document is read'])
  })

  test('warns about an empty file or one with only comments', () => {
    for (const text of ['', '# nothing here\n', '---\n']) {
      const result = check(text)
      expect(result.errors).toEqual([])
      expect(result.warnings).toEqual(['1:1: file contains no pipeline definitions'])
    }
  })

  test('requires a mapping at the top level', () => {
    expect(check('- a\n- b\n').errors).toEqual(['1:1: top level must be a mapping'])
    expect(check('just text\n').errors).toEqual(['1:1: top level must be a mapping'])
  })

  test('accepts a missing or null pipelines key', () => {
    expect(check('x-foo: 1\n')).toEqual({ pipelines: new Map(), errors: [], warnings: [] })
    expect(check('pipelines:\n').errors).toEqual([])
    expect(check('pipelines: ~\n').pipelines.size).toBe(0)
  })

  test('ignores x- keys at the top level and warns about other unknown ones', () => {
    const result = check('x-anchors: {a: 1}\nversion: 2\npipelines: {}\n')
    expect(result.warnings).toEqual(['2:1: unknown key "version" in the top level'])
  })

  test('rejects a pipelines value that is not a mapping', () => {
    expect(check('pipelines: [a]\n').errors).toEqual(['1:12: pipelines: expected a mapping'])
  })

  test('reports a YAML syntax error with its position', () => {
    const result = check('pipelines:\n  p:\n    tasks: [a\n')
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/^4:1: invalid YAML: /)
  })

  test('adds a quoting hint when a value starts with {{', () => {
    const syntax = check(
      'pipelines:\n  p:\n    tasks:\n      t:\n        script:\n          - {{ .x }} y\n',
    )
    expect(syntax.errors[0]).toEndWith('(hint: quote values that start with "{{")')

    const typed = check(
      'pipelines:\n  p:\n    tasks:\n      t:\n        script:\n          - {{ .x }}\n',
    )
    expect(typed.errors).toEqual([
      '6:13: invalid pipeline definition "p": tasks.t.script[0]: expected a string (hint: quote values that start with "{{")',
    ])
  })
})

describe('duplicate keys', () => {
  test('are an error at the second occurrence naming the first line', () => {
    const result = check('pipelines:\n  p:\n    concurrency: 1\n    concurrency: 2\n')
    expect(result.errors).toEqual(['4:5: duplicate key "concurrency" (first defined at line 3)'])
  })

  test('are found in every mapping, also for pipeline and task names', () => {
    const yaml = 'pipelines:\n  p:\n    tasks:\n      a: ~\n      a: ~\n  p: ~\n'
    expect(check(yaml).errors).toEqual([
      '5:7: duplicate key "a" (first defined at line 4)',
      '6:3: duplicate key "p" (first defined at line 2)',
    ])
  })

  test('do not include keys that a merge key brought in', () => {
    const yaml = 'x-d: &d\n  concurrency: 3\npipelines:\n  p:\n    <<: *d\n    concurrency: 4\n'
    expect(loadOne(yaml).concurrency).toBe(4)
  })
})

describe('anchors, aliases and merge keys', () => {
  test('aliases reuse whole values', () => {
    const yaml = [
      'x-script: &s [echo a, echo b]',
      'pipelines:',
      '  p:',
      '    tasks:',
      '      one: {script: *s}',
      '      two: &two {script: [echo two]}',
      '      three: *two',
      '',
    ].join('\n')
    const pipeline = loadOne(yaml)
    expect(pipeline.tasks.map((task) => [task.name, task.script])).toEqual([
      ['one', ['echo a', 'echo b']],
      ['three', ['echo two']],
      ['two', ['echo two']],
    ])
  })

  test('merge keys take settings from one or several mappings, earlier ones winning', () => {
    const yaml = [
      'x-a: &a {concurrency: 2, queue_limit: 5}',
      'x-b: &b {concurrency: 3, start_delay: 1s}',
      'pipelines:',
      '  p:',
      '    <<: [*a, *b]',
      '    queue_limit: 7',
      '',
    ].join('\n')
    const pipeline = loadOne(yaml)
    expect(pipeline.concurrency).toBe(2)
    expect(pipeline.queueLimit).toBe(7)
    expect(pipeline.startDelayMs).toBe(1000)
  })

  test('combines env and tasks maps from a merge key with explicit ones', () => {
    const yaml = [
      'x-base: &base',
      '  env: {A: a, B: b}',
      '  tasks:',
      '    prepare: {script: [echo prepare]}',
      '    build: {script: [echo old]}',
      'pipelines:',
      '  p:',
      '    <<: *base',
      '    env: {B: B2, C: c}',
      '    tasks:',
      '      build: {script: [echo new], depends_on: [prepare]}',
      '',
    ].join('\n')
    const pipeline = loadOne(yaml)
    expect(pipeline.env).toEqual({ A: 'a', B: 'B2', C: 'c' })
    expect(pipeline.tasks.map((task) => [task.name, task.script])).toEqual([
      ['prepare', ['echo prepare']],
      ['build', ['echo new']],
    ])
  })

  test('merge keys work inside tasks, and nested merges resolve', () => {
    const yaml = [
      'x-env: &env {env: {LEVEL: one}}',
      'x-task: &task {<<: *env, allow_failure: true}',
      'pipelines:',
      '  p:',
      '    tasks:',
      '      t:',
      '        <<: *task',
      '        env: {MORE: two}',
      '',
    ].join('\n')
    const task = loadOne(yaml).tasks[0]
    expect(task?.allowFailure).toBe(true)
    expect(task?.env).toEqual({ LEVEL: 'one', MORE: 'two' })
  })

  test('reports an alias without an anchor and a merge of something else', () => {
    expect(check('pipelines:\n  p: *nope\n').errors).toEqual([
      '2:6: alias "*nope" has no matching anchor',
    ])
    expect(check('pipelines:\n  p:\n    <<: 1\n').errors).toEqual([
      '3:9: merge key "<<" needs a mapping or a list of mappings',
    ])
  })
})

describe('self-referencing anchors', () => {
  test('a merge key that includes its own mapping is an error, not a hang', () => {
    const result = check('x-a: &a\n  <<: *a\n  concurrency: 1\npipelines:\n  p: *a\n')
    expect(result.errors).toEqual(['2:3: merge key "<<" refers to a mapping that contains it'])
  })
})

describe('scalar conversion', () => {
  test('keeps script lines and env values as written', () => {
    const yaml = [
      'pipelines:',
      '  p:',
      '    env: {PORT: 8080, V: 1.10, MODE: 0755, ON: yes, E: 1e3, N: ~, M: null, O: }',
      '    tasks:',
      '      t:',
      '        script: [8080, 1.10, yes, 0755, ~, null, "", true]',
      '',
    ].join('\n')
    const pipeline = loadOne(yaml)
    expect(pipeline.env).toEqual({
      PORT: '8080',
      V: '1.10',
      MODE: '0755',
      ON: 'yes',
      E: '1e3',
      N: '',
      M: '',
      O: '',
    })
    expect(pipeline.tasks[0]?.script).toEqual(['8080', '1.10', 'yes', '0755', '', '', '', 'true'])
  })

  test('reads YAML 1.1 booleans', () => {
    for (const word of ['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']) {
      expect(
        loadOne(`pipelines:\n  p:\n    continue_running_tasks_after_failure: ${word}\n`)
          .continueRunningTasksAfterFailure,
      ).toBe(true)
    }

    for (const word of [
      'false',
      'False',
      'FALSE',
      'no',
      'No',
      'NO',
      'off',
      'Off',
      'OFF',
      'n',
      'N',
    ]) {
      expect(
        loadOne(`pipelines:\n  p:\n    continue_running_tasks_after_failure: ${word}\n`)
          .continueRunningTasksAfterFailure,
      ).toBe(false)
    }
  })

  test('reads integers only in plain decimal form', () => {
    expect(loadOne('pipelines:\n  p:\n    queue_limit: +12\n').queueLimit).toBe(12)
    for (const value of ['1.5', '0x10', 'ten', '1e3']) {
      expect(check(`pipelines:\n  p:\n    queue_limit: ${value}\n`).errors).toEqual([
        '3:18: invalid pipeline definition "p": queue_limit: expected an integer',
      ])
    }
  })

  test('treats null values as absent so defaults apply', () => {
    const yaml = [
      'pipelines:',
      '  p:',
      '    concurrency: ~',
      '    queue_limit: null',
      '    shell:',
      '    tasks:',
      '      t:',
      '        script:',
      '        shell: ~',
      '',
    ].join('\n')
    const pipeline = loadOne(yaml)
    expect(pipeline.concurrency).toBe(1)
    expect(pipeline.queueLimit).toBeNull()
    expect(pipeline.shell).toBeUndefined()
    expect(pipeline.tasks[0]).toEqual({
      name: 't',
      script: [],
      dependsOn: [],
      allowFailure: false,
      env: {},
    })
  })

  test('reads CRLF files without carriage returns in values', () => {
    const yaml =
      'pipelines:\r\n  p:\r\n    env: {A: x}\r\n    tasks:\r\n      t:\r\n        script:\r\n          - |\r\n            echo one\r\n            echo two\r\n          - echo three\r\n'
    const pipeline = loadOne(yaml)
    expect(pipeline.tasks[0]?.script).toEqual(['echo one\necho two\n', 'echo three'])
    expect(pipeline.env).toEqual({ A: 'x' })
  })
})
