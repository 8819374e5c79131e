import { describe, expect, test } from 'bun:test'
import { parseDuration } from '../../src/definition/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'

describe('parseDuration', () => {
  test('reads Go duration strings into milliseconds', () => {
    expect(parseDuration('500ms', 'k')).toBe(500)
    expect(parseDuration('1.5s', 'k')).toBe(1500)
    expect(parseDuration('1h30m', 'k')).toBe(5_400_000)
    expect(parseDuration('48h', 'k')).toBe(172_800_000)
    expect(parseDuration('1.1s', 'k')).toBe(1100)
    expect(parseDuration('250us', 'k')).toBe(0.25)
    expect(parseDuration('250µs', 'k')).toBe(0.25)
    expect(parseDuration('1000000ns', 'k')).toBe(1)
    expect(parseDuration('.5s', 'k')).toBe(500)
  })

  test('accepts a sign, so negative values reach the range checks', () => {
    expect(parseDuration('-10s', 'k')).toBe(-10_000)
    expect(parseDuration('+2m', 'k')).toBe(120_000)
  })

  test('reads zero without a unit, as a string or a number', () => {
    expect(parseDuration('0', 'k')).toBe(0)
    expect(parseDuration(0, 'k')).toBe(0)
    expect(Object.is(parseDuration('-0', 'k'), 0)).toBe(true)
  })

  test('asks for a unit when a number has none', () => {
    expect(() => parseDuration('10', 'start_delay')).toThrow(
      'start_delay needs a unit, e.g. "10s" (got 10)',
    )
    expect(() => parseDuration(10, 'start_delay')).toThrow(
      'start_delay needs a unit, e.g. "10s" (got 10)',
    )
    expect(() => parseDuration('1.5', 'retention_period')).toThrow(
      'retention_period needs a unit, e.g. "10s" (got 1.5)',
    )
  })

  test('rejects malformed strings and the unsupported day unit', () => {
    for (const value of ['1d', 'abc', '10 s', '1h30', 's', '', '-', '1e3s', '1.2.3s']) {
      expect(() => parseDuration(value, 'start_delay')).toThrow(
        `start_delay: invalid duration "${value}"`,
      )
    }
  })

  test('rejects values beyond the range of a Go duration', () => {
    expect(() => parseDuration('3000000h', 'k')).toThrow('k: invalid duration "3000000h"')
  })

  test('throws a PrunnerError with the definition code', () => {
    try {
      parseDuration('x', 'k')
      throw new Error('no error')
    } catch (error) {
      expect(error).toBeInstanceOf(PrunnerError)
      expect((error as PrunnerError).code).toBe('DEFINITION_INVALID')
    }
  })
})
