import { describe, expect, test } from 'bun:test'
import { check, loadOne } from './helpers.ts'

const P = 'invalid pipeline definition "p": '

/** Errors of a pipeline `p` with the given body lines (indented under `p:`). */
function errorsOf(...body: string[]): string[] {
  return check(['pipelines:', '  p:', ...body.map((line) => `    ${line}`), ''].join('\n')).errors
}

function warningsOf(...body: string[]): string[] {
  return check(['pipelines:', '  p:', ...body.map((line) => `    ${line}`), ''].join('\n')).warnings
}

describe('pipeline keys and defaults (SPEC §4.3)', () => {
  test('a null pipeline gets every default', () => {
    expect(loadOne('pipelines:\n  p:\n')).toEqual({
      name: 'p',
      file: 'pipelines.yml',
      concurrency: 1,
      queueLimit: null,
      queueStrategy: 'append',
      queuePartitionLimit: null,
      startDelayMs: 0,
      continueRunningTasksAfterFailure: false,
      retentionPeriodMs: 0,
      retentionCount: 0,
      env: {},
      tasks: [],
    })
  })

  test('every key is read into the definition', () => {
    const yaml = [
      'pipelines:',
      '  p:',
      '    concurrency: 3',
      '    queue_limit: 4',
      '    queue_strategy: replace',
      '    start_delay: 2s',
      '    continue_running_tasks_after_failure: true',
      '    retention_period: 1h',
      '    retention_count: 10',
      '    env: {A: a}',
      '    shell: bash',
      '    tasks:',
      '      t: {script: [echo], depends_on: [], allow_failure: yes, env: {B: b}, shell: sh}',
      '    on_error: {script: [echo failed], env: {C: c}, shell: /bin/sh}',
      '',
    ].join('\n')
    expect(loadOne(yaml)).toEqual({
      name: 'p',
      file: 'pipelines.yml',
      concurrency: 3,
      queueLimit: 4,
      queueStrategy: 'replace',
      queuePartitionLimit: null,
      startDelayMs: 2000,
      continueRunningTasksAfterFailure: true,
      retentionPeriodMs: 3_600_000,
      retentionCount: 10,
      env: { A: 'a' },
      shell: 'bash',
      tasks: [
        {
          name: 't',
          script: ['echo'],
          dependsOn: [],
          allowFailure: true,
          env: { B: 'b' },
          shell: 'sh',
        },
      ],
      onError: { script: ['echo failed'], env: { C: 'c' }, shell: '/bin/sh' },
    })
  })

  test('concurrency 0 means one slot', () => {
    expect(loadOne('pipelines:\n  p:\n    concurrency: 0\n').concurrency).toBe(1)
  })

  test('partitioned_replace keeps its partition limit', () => {
    const yaml =
      'pipelines:\n  p:\n    queue_strategy: partitioned_replace\n    queue_partition_limit: 2\n'
    const pipeline = loadOne(yaml)
    expect(pipeline.queueStrategy).toBe('partitioned_replace')
    expect(pipeline.queuePartitionLimit).toBe(2)
  })

  test('a null task is a valid join point', () => {
    const pipeline = loadOne('pipelines:\n  p:\n    tasks:\n      a:\n      b: {depends_on: [a]}\n')
    expect(pipeline.tasks.map((task) => task.name)).toEqual(['a', 'b'])
  })
})

describe('validation rules (SPEC §4.6)', () => {
  test('V1 rejects a negative concurrency', () => {
    expect(errorsOf('concurrency: -1')).toEqual([`3:18: ${P}concurrency must be greater than 0`])
  })

  test('V2 rejects a negative queue_limit', () => {
    expect(errorsOf('queue_limit: -2')).toEqual([`3:18: ${P}queue_limit must not be negative`])
  })

  test('V3 rejects a negative start_delay', () => {
    expect(errorsOf('start_delay: -5s')).toEqual([`3:18: ${P}start_delay must not be negative`])
  })

  test('V4 needs a wait list for a start delay', () => {
    expect(errorsOf('start_delay: 5s', 'queue_limit: 0')).toEqual([
      `3:18: ${P}start_delay needs queue_limit > 0`,
    ])
    expect(errorsOf('start_delay: 5s', 'queue_limit: 1')).toEqual([])
  })

  test('V5 rejects queue_limit with partitioned_replace, unless it is null', () => {
    expect(
      errorsOf('queue_strategy: partitioned_replace', 'queue_partition_limit: 1', 'queue_limit: 1'),
    ).toEqual([
      `5:18: ${P}queue_limit is not allowed if queue_strategy=partitioned_replace, use queue_partition_limit instead`,
    ])
    expect(
      errorsOf(
        'queue_strategy: partitioned_replace',
        'queue_partition_limit: 1',
        'queue_limit: null',
      ),
    ).toEqual([])
  })

  test('V6 needs a partition limit of at least 1 with partitioned_replace', () => {
    const message = `${P}queue_partition_limit must be defined and >=1 if queue_strategy=partitioned_replace`
    expect(errorsOf('queue_strategy: partitioned_replace')).toEqual([`3:21: ${message}`])
    expect(errorsOf('queue_strategy: partitioned_replace', 'queue_partition_limit: 0')).toEqual([
      `4:28: ${message}`,
    ])
  })

  test('V7 rejects a partition limit with append or replace', () => {
    const message = `${P}queue_partition_limit is not allowed if queue_strategy=append|replace, use queue_limit instead`
    expect(errorsOf('queue_partition_limit: 2')).toEqual([`3:28: ${message}`])
    expect(errorsOf('queue_strategy: replace', 'queue_partition_limit: 2')).toEqual([
      `4:28: ${message}`,
    ])
  })

  test('V8 rejects an unknown queue strategy, case-sensitively', () => {
    expect(errorsOf('queue_strategy: Replace')).toEqual([
      `3:21: ${P}unknown queue strategy: "Replace"`,
    ])
  })

  test('V9 points at the depends_on entry that names no task', () => {
    expect(errorsOf('tasks:', '  a: {depends_on: [b, c]}', '  b: ~')).toEqual([
      `4:27: ${P}missing task "c" referenced in depends_on of task "a"`,
    ])
  })

  test('V10 reports a cycle between two tasks', () => {
    expect(errorsOf('tasks:', '  x: {depends_on: [y]}', '  y: {depends_on: [x]}')).toEqual([
      `5:24: ${P}dependency cycle: x -> y -> x`,
    ])
  })

  test('V10 reports a task that depends on itself', () => {
    expect(errorsOf('tasks:', '  a: {depends_on: [a]}')).toEqual([
      `4:24: ${P}dependency cycle: a -> a`,
    ])
  })

  test('V10 reports only the first cycle of the depth-first search', () => {
    const errors = errorsOf(
      'tasks:',
      '  b: {depends_on: [c]}',
      '  c: {depends_on: [d, b]}',
      '  d: {depends_on: [c]}',
      '  a: {depends_on: [a]}',
    )
    expect(errors).toEqual([`7:24: ${P}dependency cycle: a -> a`])

    const longer = errorsOf(
      'tasks:',
      '  b: {depends_on: [c]}',
      '  c: {depends_on: [d]}',
      '  d: {depends_on: [e, b]}',
      '  e: ~',
    )
    expect(longer).toEqual([`6:27: ${P}dependency cycle: b -> c -> d -> b`])
  })

  test('V11 rejects task names that are unsafe as path parts', () => {
    const rule =
      'must not be empty, "." or "..", or contain "/", "\\" or a NUL byte, and must be at most 244 bytes'
    expect(
      errorsOf('tasks:', '  "": ~', '  ".": ~', '  "..": ~', '  a/b: ~', '  "a\\\\b": ~'),
    ).toEqual([
      `4:7: ${P}invalid task name "": ${rule}`,
      `5:7: ${P}invalid task name ".": ${rule}`,
      `6:7: ${P}invalid task name "..": ${rule}`,
      `7:7: ${P}invalid task name "a/b": ${rule}`,
      `8:7: ${P}invalid task name "a\\b": ${rule}`,
    ])
  })

  test('V11 rejects a NUL byte and names whose log file names would exceed 255 bytes', () => {
    const rule =
      'must not be empty, "." or "..", or contain "/", "\\" or a NUL byte, and must be at most 244 bytes'
    // 244 bytes plus "-stdout.log" is exactly 255; "é" takes two bytes in UTF-8.
    const longest = 'x'.repeat(244)
    const tooLong = `${'x'.repeat(243)}é`
    expect(errorsOf('tasks:', `  ${longest}: ~`, `  ${tooLong}: ~`, '  "a\\0b": ~')).toEqual([
      `5:7: ${P}invalid task name "${tooLong}": ${rule}`,
      `6:7: ${P}invalid task name "a\0b": ${rule}`,
    ])
  })

  test('V12 reserves the task name on_error', () => {
    expect(errorsOf('tasks:', '  on_error: ~')).toEqual([
      `4:7: ${P}task name "on_error" is reserved`,
    ])
  })

  test('V13 rejects an empty shell at every level', () => {
    expect(errorsOf('shell: ""', 'tasks:', '  t: {shell: ""}', 'on_error: {shell: ""}')).toEqual([
      `3:12: ${P}shell must not be empty`,
      `5:18: ${P}shell must not be empty`,
      `6:23: ${P}shell must not be empty`,
    ])
  })

  test('V14 rejects env names that cannot be set', () => {
    expect(
      errorsOf('env: {"": x, "A=B": y, "N\\0": z, OK: v}', 'tasks:', '  t: {env: {"=": x}}'),
    ).toEqual([
      `3:11: ${P}invalid env variable name ""`,
      `3:18: ${P}invalid env variable name "A=B"`,
      `3:28: ${P}invalid env variable name "N\0"`,
      `5:17: ${P}invalid env variable name "="`,
    ])
  })

  test('V15 names the key path and the expected type', () => {
    expect(
      errorsOf(
        'concurrency: many',
        'env: [a]',
        'tasks:',
        '  build: {allow_failure: maybe, script: echo hi, depends_on: {a: b}, env: {A: [1]}}',
        '  other: [x]',
        'on_error: [x]',
      ),
    ).toEqual([
      `3:18: ${P}concurrency: expected an integer`,
      `4:10: ${P}env: expected a map of strings`,
      `6:30: ${P}tasks.build.allow_failure: expected a boolean`,
      `6:45: ${P}tasks.build.script: expected a list of strings`,
      `6:66: ${P}tasks.build.depends_on: expected a list of strings`,
      `6:83: ${P}tasks.build.env.A: expected a string`,
      `7:14: ${P}tasks.other: expected a mapping`,
      `8:15: ${P}on_error: expected a mapping`,
    ])
    expect(check('pipelines:\n  p: [1]\n').errors).toEqual([`2:6: ${P}expected a mapping`])
    expect(errorsOf('tasks: [a]')).toEqual([`3:12: ${P}tasks: expected a mapping`])
    expect(errorsOf('tasks:', '  t: {script: [[a]]}')).toEqual([
      `4:20: ${P}tasks.t.script[0]: expected a string`,
    ])
  })

  test('V16 reports bad durations with the messages of §4.5', () => {
    expect(errorsOf('start_delay: 10', 'retention_period: 3d')).toEqual([
      `3:18: ${P}start_delay needs a unit, e.g. "10s" (got 10)`,
      `4:23: ${P}retention_period: invalid duration "3d"`,
    ])
    expect(errorsOf('start_delay: [1s]')).toEqual([`3:18: ${P}start_delay: expected a duration`])
  })

  test('reports every violation, not only the first', () => {
    expect(errorsOf('concurrency: -1', 'queue_limit: -1', 'queue_strategy: nope')).toHaveLength(3)
  })

  test('an empty pipeline name is an error without prefix', () => {
    expect(check('pipelines:\n  "": ~\n').errors).toEqual(['2:3: pipeline name must not be empty'])
  })

  test('a pipeline with errors is not loaded while the others are', () => {
    const result = check('pipelines:\n  bad: {concurrency: -1}\n  good: ~\n')
    expect([...result.pipelines.keys()]).toEqual(['good'])
  })
})

describe('warnings (SPEC §4.6)', () => {
  test('unknown keys name where they are', () => {
    const warnings = warningsOf(
      'retention_period_hours: 3',
      'tasks:',
      '  t: {scirpt: [x]}',
      'on_error: {sript: [x]}',
    )
    expect(warnings).toEqual([
      '3:5: unknown key "retention_period_hours" in pipeline "p"',
      '5:11: unknown key "scirpt" in task "t" of pipeline "p"',
      '6:16: unknown key "sript" in on_error of pipeline "p"',
    ])
  })

  test('depends_on and allow_failure have no effect in on_error', () => {
    expect(warningsOf('on_error: {depends_on: [a], allow_failure: true}')).toEqual([
      '3:16: "depends_on" has no effect in on_error',
      '3:33: "allow_failure" has no effect in on_error',
    ])
  })

  test('negative retention settings are treated as off', () => {
    const yaml = 'pipelines:\n  p:\n    retention_count: -3\n    retention_period: -1h\n'
    const result = check(yaml)
    expect(result.warnings).toEqual([
      '3:22: retention_count is negative and is treated as 0 (off)',
      '4:23: retention_period is negative and is treated as 0 (off)',
    ])
    expect(result.pipelines.get('p')).toMatchObject({ retentionCount: 0, retentionPeriodMs: 0 })
  })

  test('warnings do not stop a pipeline from loading', () => {
    const result = check('pipelines:\n  p:\n    unknown: 1\n')
    expect(result.errors).toEqual([])
    expect(result.pipelines.has('p')).toBe(true)
  })
})
