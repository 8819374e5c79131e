// How Go values appear in the engine. Data comes from JSON, so Go sees float64, string, bool, nil,
// []interface{} and map[string]interface{}; constants add int, and indexing a string gives uint8.
// Go also distinguishes a value read out of a map or slice (an interface{} holding it) from the
// value itself, and some error texts and nil rules depend on that, so `Iface` keeps the wrapper.

import { compareStrings } from './text.ts'

/** A Go integer: `int` (constants, len, range indexes) or `uint8` (a byte of a string). */
export class GoInt {
  constructor(
    readonly value: bigint,
    readonly type: 'int' | 'uint8' = 'int',
  ) {}
}

/** A Go interface{} value; `inner` null is a nil interface. */
export class Iface {
  readonly inner: unknown

  constructor(inner: unknown) {
    this.inner = inner === undefined ? null : inner
  }
}

/** Go's zero reflect.Value: "no value at all", printed as <no value>. */
export class InvalidValue {}

export const INVALID = new InvalidValue()

export type GoMap = Record<string, unknown>

/** A value as the executor passes it around (Go's reflect.Value). */
export type Value = unknown

export type Kind =
  | 'invalid'
  | 'interface'
  | 'string'
  | 'float64'
  | 'int'
  | 'uint8'
  | 'bool'
  | 'slice'
  | 'map'
  | 'nil'

/** The Go kind of a value; 'nil' is a bare nil (only as a function argument or data element). */
export function kindOf(v: Value): Kind {
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    default:
      return objectKind(v)
  }
}

function objectKind(v: Value): Kind {
  if (v === null || v === undefined) {
    return 'nil'
  }
  if (v instanceof GoInt) {
    return v.type
  }
  if (v instanceof Iface) {
    return 'interface'
  }
  if (v instanceof InvalidValue) {
    return 'invalid'
  }
  return Array.isArray(v) ? 'slice' : 'map'
}

const TYPE_NAMES: Readonly<Record<Kind, string>> = {
  invalid: '<nil>',
  interface: 'interface {}',
  string: 'string',
  float64: 'float64',
  int: 'int',
  uint8: 'uint8',
  bool: 'bool',
  slice: '[]interface {}',
  map: 'map[string]interface {}',
  nil: '<nil>',
}

/** Go's reflect type name, as error messages print it. */
export function typeName(v: Value): string {
  return TYPE_NAMES[kindOf(v)]
}

export function isGoMap(v: Value): v is GoMap {
  return kindOf(v) === 'map'
}

/** Go's indirectInterface: the value inside an interface, INVALID for a nil interface. */
export function indirectInterface(v: Value): Value {
  if (v instanceof Iface) {
    return v.inner === null ? INVALID : v.inner
  }
  return v
}

/** What a function parameter of type interface{} receives: the held value, or null for nil. */
export function toInterface(v: Value): unknown {
  if (v instanceof Iface) {
    return v.inner
  }
  return v instanceof InvalidValue || v === undefined ? null : v
}

/** Go's truth test for if, with, and, or, not: false, 0, nil and empty values are false. */
export function isTrue(v: Value): boolean {
  switch (kindOf(v)) {
    case 'string':
      return (v as string).length > 0
    case 'float64':
      return (v as number) !== 0
    case 'bool':
      return v as boolean
    case 'int':
    case 'uint8':
      return (v as GoInt).value !== 0n
    case 'slice':
      return (v as unknown[]).length > 0
    case 'map':
      return Object.keys(v as GoMap).length > 0
    case 'interface':
      return (v as Iface).inner !== null
    default:
      return false
  }
}

/** The keys of a map in Go's order (byte-wise), as range and printing use them. */
export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort(compareStrings)
}
