import { describe, expect, test } from 'bun:test'
import { taskOrder } from '../../src/definition/index.ts'
import { loadOne } from './helpers.ts'

describe('taskOrder (SPEC §5.8)', () => {
  test('takes the smallest ready task name next', () => {
    const tasks = [
      { name: 'g', dependsOn: ['c', 'f'] },
      { name: 'f', dependsOn: ['b', 'e'] },
      { name: 'e', dependsOn: ['a'] },
      { name: 'd', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['d', 'b'] },
      { name: 'b', dependsOn: ['a', 'e'] },
      { name: 'a', dependsOn: [] },
    ]
    expect(taskOrder(tasks)).toEqual(['a', 'd', 'e', 'b', 'c', 'f', 'g'])
  })

  test('compares names byte-wise, not by locale', () => {
    const tasks = ['b', 'B', 'a', '_', 'é', 'z'].map((name) => ({ name, dependsOn: [] }))
    expect(taskOrder(tasks)).toEqual(['B', '_', 'a', 'b', 'z', 'é'])
  })

  test('ignores unknown dependencies and puts tasks in a cycle last', () => {
    const tasks = [
      { name: 'x', dependsOn: ['y'] },
      { name: 'y', dependsOn: ['x'] },
      { name: 'b', dependsOn: ['missing'] },
      { name: 'a', dependsOn: [] },
    ]
    expect(taskOrder(tasks)).toEqual(['a', 'b', 'x', 'y'])
  })

  test('orders the tasks of a loaded pipeline', () => {
    const yaml = [
      'pipelines:',
      '  p:',
      '    tasks:',
      '      g: {depends_on: [c, f]}',
      '      f: {depends_on: [b, e]}',
      '      e: {depends_on: [a]}',
      '      d: {depends_on: [a]}',
      '      c: {depends_on: [d, b]}',
      '      b: {depends_on: [a, e]}',
      '      a: ~',
      '',
    ].join('\n')
    const pipeline = loadOne(yaml)
    expect(pipeline.tasks.map((task) => task.name)).toEqual(['a', 'd', 'e', 'b', 'c', 'f', 'g'])
    expect(pipeline.tasks.find((task) => task.name === 'c')?.dependsOn).toEqual(['d', 'b'])
  })
})
