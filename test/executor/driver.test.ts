import { describe, expect, test } from 'bun:test'
import { buildDriverScript, findLineWithNul, quoteForShell } from '../../src/executor/driver.ts'

describe('quoteForShell', () => {
  test('round-trips awkward text through a real shell unchanged', () => {
    const text = `it's a "test" with $dollar, \\back, \`tick\`, '' and\nnewline`
    const result = Bun.spawnSync(['/bin/sh', '-c', `printf %s ${quoteForShell(text)}`])

    expect(result.stdout.toString()).toBe(text)
  })

  test('quotes the empty string as an empty word', () => {
    expect(quoteForShell('')).toBe("''")
  })
})

describe('findLineWithNul', () => {
  test('returns the 1-based number of the first line with a NUL byte', () => {
    expect(findLineWithNul(['a', 'b\0', 'c\0'])).toBe(2)
    expect(findLineWithNul(['a', 'b'])).toBeUndefined()
  })
})

describe('buildDriverScript', () => {
  test('records failing statuses in the status file instead of exiting with allow_failure', () => {
    const strict = buildDriverScript({ lines: ['false'], cwd: '/tmp' })
    const lenient = buildDriverScript({ lines: ['false'], cwd: '/tmp', statusPath: '/tmp/st' })

    expect(strict).toContain('exit "$__prunner_status"')
    expect(lenient).not.toContain('exit "$__prunner_status"')
    expect(lenient).toContain(">| '/tmp/st'")
  })
})
