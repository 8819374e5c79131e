// eq, ne, lt, le, gt, ge as in Go's text/template, except that numbers compare by value whatever
// their Go type (prunner deviation: Go rejects a float64 from the data against an int constant).

import { sprintf } from './format.ts'
import { compareStrings } from './text.ts'
import { type GoInt, INVALID, indirectInterface, kindOf, typeName, type Value } from './values.ts'

/** An error a Go template function returns; the executor reports "error calling <name>: ...". */
export class CallError extends Error {}

const BAD_COMPARISON_TYPE = 'invalid type for comparison'
const BAD_COMPARISON = 'incompatible types for comparison'
const NO_COMPARISON = 'missing argument for comparison'

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'other'

/** eq a b c...: whether `a` equals any of the others. */
export function eq(arg1: Value, ...others: Value[]): boolean {
  const a = indirectInterface(arg1)
  if (others.length === 0) {
    throw new CallError(NO_COMPARISON)
  }
  return others.some((other) => equals(a, indirectInterface(other)))
}

export function ne(arg1: Value, arg2: Value): boolean {
  return !eq(arg1, arg2)
}

export function lt(arg1: Value, arg2: Value): boolean {
  const a = indirectInterface(arg1)
  const b = indirectInterface(arg2)
  const k1 = orderedKind(a)
  const k2 = orderedKind(b)
  if (k1 !== k2 && !(isNumeric(k1) && isNumeric(k2))) {
    throw new CallError(BAD_COMPARISON)
  }
  if (k1 === 'bool') {
    throw new CallError(BAD_COMPARISON_TYPE)
  }
  if (k1 === 'string') {
    return compareStrings(a as string, b as string) < 0
  }
  return compareNumbers(a, b) < 0
}

export function le(arg1: Value, arg2: Value): boolean {
  return lt(arg1, arg2) || eq(arg1, arg2)
}

export function gt(arg1: Value, arg2: Value): boolean {
  return !le(arg1, arg2)
}

export function ge(arg1: Value, arg2: Value): boolean {
  return !lt(arg1, arg2)
}

function equals(a: Value, b: Value): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (isNumeric(k1) && isNumeric(k2)) {
    return compareNumbers(a, b) === 0
  }
  if (k1 !== k2) {
    if (a !== INVALID && b !== INVALID) {
      throw new CallError(BAD_COMPARISON)
    }
    return false
  }
  if (k1 !== 'other') {
    return a === b
  }
  return equalsOther(a, b)
}

// Slices, maps and missing values: Go allows only a comparison with nil.
function equalsOther(a: Value, b: Value): boolean {
  const kindA = kindOf(a)
  const kindB = kindOf(b)
  if (kindA !== kindB && kindA !== 'invalid' && kindB !== 'invalid') {
    const left = `${sprintf('%s', [a], GO)}: ${typeName(a)}`
    const right = `${typeName(b)}: ${sprintf('%v', [b], GO)}`
    throw new CallError(`non-comparable types ${left}, ${right}`)
  }
  if (a === INVALID || b === INVALID) {
    return a === b
  }
  throw new CallError(`non-comparable type ${sprintf('%s', [b], GO)}: ${typeName(b)}`)
}

const GO = { goFloats: true }

function basicKind(v: Value): BasicKind {
  switch (kindOf(v)) {
    case 'bool':
      return 'bool'
    case 'int':
      return 'int'
    case 'uint8':
      return 'uint'
    case 'float64':
      return 'float'
    case 'string':
      return 'string'
    default:
      return 'other'
  }
}

function orderedKind(v: Value): BasicKind {
  const kind = basicKind(v)
  if (kind === 'other') {
    throw new CallError(BAD_COMPARISON_TYPE)
  }
  return kind
}

function isNumeric(kind: BasicKind): boolean {
  return kind === 'int' || kind === 'uint' || kind === 'float'
}

/** The sign of a - b for two numbers of any Go type, computed exactly. */
function compareNumbers(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'number') {
    return -compareIntToFloat((b as GoInt).value, a)
  }
  if (typeof b === 'number') {
    return compareIntToFloat((a as GoInt).value, b)
  }
  const x = (a as GoInt).value
  const y = (b as GoInt).value
  return x < y ? -1 : x > y ? 1 : 0
}

function compareIntToFloat(i: bigint, f: number): number {
  if (!Number.isFinite(f)) {
    return f > 0 ? -1 : 1
  }
  const floor = Math.floor(f)
  const whole = BigInt(floor)
  if (i !== whole) {
    return i < whole ? -1 : 1
  }
  return floor === f ? 0 : -1
}
