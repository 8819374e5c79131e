// The template functions: Go's builtins (without call) plus prunner's default and shellquote.
// Each declares its Go parameter types, because the executor converts and checks arguments by them.

import { CallError, eq, ge, gt, le, lt, ne } from './compare.ts'
import { htmlEscape, joinEscaperArgs, jsEscape, urlQueryEscape } from './escape.ts'
import { sprint, sprintf, sprintln } from './format.ts'
import { byteLength, fromBytes, toBytes } from './text.ts'
import {
  GoInt,
  type GoMap,
  Iface,
  INVALID,
  indirectInterface,
  isTrue,
  kindOf,
  typeName,
  type Value,
} from './values.ts'

/**
 * A Go parameter type: 'value' is reflect.Value (the function sees the value as the executor
 * holds it), 'any' is interface{} (it sees the held value, null for nil), 'string' is string.
 */
export type ParamType = 'value' | 'any' | 'string'

export interface Builtin {
  readonly params: readonly ParamType[]
  /** Element type of a trailing ...parameter, or null. */
  readonly variadic: ParamType | null
  readonly call: (args: readonly unknown[]) => Value
}

export { CallError }

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  // and/or short-circuit, so the executor evaluates them itself; these entries give the signature.
  ['and', { params: ['value'], variadic: 'value', call: shortCircuitOnly }],
  ['or', { params: ['value'], variadic: 'value', call: shortCircuitOnly }],
  ['not', { params: ['value'], variadic: null, call: ([a]) => !isTrue(indirectInterface(a)) }],
  ['len', { params: ['value'], variadic: null, call: ([a]) => length(a) }],
  ['index', { params: ['value'], variadic: 'value', call: ([a, ...k]) => index(a, k) }],
  ['slice', { params: ['value'], variadic: 'value', call: ([a, ...k]) => slice(a, k) }],
  ['print', { params: [], variadic: 'any', call: (args) => sprint(args) }],
  ['printf', { params: ['string'], variadic: 'any', call: ([f, ...a]) => sprintf(String(f), a) }],
  ['println', { params: [], variadic: 'any', call: (args) => sprintln(args) }],
  ['html', { params: [], variadic: 'any', call: (args) => htmlEscape(joinEscaperArgs(args)) }],
  ['js', { params: [], variadic: 'any', call: (args) => jsEscape(joinEscaperArgs(args)) }],
  ['urlquery', { params: [], variadic: 'any', call: (a) => urlQueryEscape(joinEscaperArgs(a)) }],
  ['eq', { params: ['value'], variadic: 'value', call: ([a, ...b]) => eq(a, ...b) }],
  ['ne', { params: ['value', 'value'], variadic: null, call: ([a, b]) => ne(a, b) }],
  ['lt', { params: ['value', 'value'], variadic: null, call: ([a, b]) => lt(a, b) }],
  ['le', { params: ['value', 'value'], variadic: null, call: ([a, b]) => le(a, b) }],
  ['gt', { params: ['value', 'value'], variadic: null, call: ([a, b]) => gt(a, b) }],
  ['ge', { params: ['value', 'value'], variadic: null, call: ([a, b]) => ge(a, b) }],
  ['default', { params: ['any', 'any'], variadic: null, call: ([f, v]) => withDefault(f, v) }],
  ['shellquote', { params: ['any'], variadic: null, call: ([v]) => shellQuote(v) }],
])

function shortCircuitOnly(): never {
  throw new Error('and/or are evaluated by the executor')
}

function length(item: Value): GoInt {
  const v = unwrapInterface(item, 'len of nil pointer')
  switch (kindOf(v)) {
    case 'string':
      return new GoInt(BigInt(byteLength(v as string)))
    case 'slice':
      return new GoInt(BigInt((v as unknown[]).length))
    case 'map':
      return new GoInt(BigInt(Object.keys(v as GoMap).length))
    default:
      throw new CallError(`len of type ${typeName(v)}`)
  }
}

function index(item: Value, keys: readonly Value[]): Value {
  let current = indirectInterface(item)
  if (current === INVALID) {
    throw new CallError('index of untyped nil')
  }
  for (const key of keys) {
    current = indexOnce(unwrapInterface(current, 'index of nil pointer'), indirectInterface(key))
  }
  return current
}

function indexOnce(item: Value, key: Value): Value {
  switch (kindOf(item)) {
    case 'slice': {
      const list = item as unknown[]
      const at = indexArgument(key, list.length)
      if (at === list.length) {
        // Go's bounds check lets len through and reflect then panics with this text.
        throw new CallError('reflect: slice index out of range')
      }
      return new Iface(list[at])
    }
    case 'string': {
      const bytes = toBytes(item as string)
      const at = indexArgument(key, bytes.length)
      if (at === bytes.length) {
        throw new CallError('reflect: string index out of range')
      }
      return new GoInt(BigInt(bytes[at] ?? 0), 'uint8')
    }
    case 'map':
      return new Iface(lookupKey(item as GoMap, key))
    default:
      throw new CallError(`can't index item of type ${typeName(item)}`)
  }
}

function lookupKey(map: GoMap, key: Value): unknown {
  if (key === INVALID) {
    throw new CallError('value is nil; should be of type string')
  }
  if (typeof key !== 'string') {
    throw new CallError(`value has type ${typeName(key)}; should be string`)
  }
  // A missing key gives the map's zero value, a nil interface.
  return Object.hasOwn(map, key) ? map[key] : null
}

function slice(item: Value, indexes: readonly Value[]): Value {
  const v = indirectInterface(item)
  if (v === INVALID) {
    throw new CallError('slice of untyped nil')
  }
  if (indexes.length > 3) {
    throw new CallError(`too many slice indexes: ${indexes.length}`)
  }

  const kind = kindOf(v)
  if (kind === 'string' && indexes.length === 3) {
    throw new CallError('cannot 3-index slice a string')
  }
  if (kind !== 'string' && kind !== 'slice') {
    throw new CallError(`can't slice item of type ${typeName(v)}`)
  }
  const size = kind === 'string' ? byteLength(v as string) : (v as unknown[]).length
  const [from, to] = sliceBounds(indexes, size)
  return kind === 'string' ? sliceString(v as string, from, to) : (v as unknown[]).slice(from, to)
}

function sliceBounds(indexes: readonly Value[], size: number): [number, number] {
  const bounds = [0, size, size]
  indexes.forEach((key, i) => {
    bounds[i] = indexArgument(key, size)
  })
  const [from = 0, to = size, max = size] = bounds
  if (from > to) {
    throw new CallError(`invalid slice index: ${from} > ${to}`)
  }
  if (indexes.length === 3 && to > max) {
    throw new CallError(`invalid slice index: ${to} > ${max}`)
  }
  return [from, to]
}

function sliceString(s: string, from: number, to: number): string {
  if (s.length === byteLength(s)) {
    return s.slice(from, to)
  }
  return fromBytes(toBytes(s).subarray(from, to))
}

// Go's indexArg, accepting any integer-valued number (prunner deviation: Go wants an int type).
// The upper bound is inclusive, as in Go.
function indexArgument(key: Value, size: number): number {
  const v = key instanceof Iface && typeof key.inner === 'number' ? key.inner : key
  let x: bigint
  if (v instanceof GoInt) {
    x = v.value
  } else if (typeof v === 'number' && Number.isInteger(v)) {
    x = BigInt(v)
  } else if (v === INVALID) {
    throw new CallError('cannot index slice/array with nil')
  } else {
    throw new CallError(`cannot index slice/array with type ${typeName(v)}`)
  }

  if (x < 0n || x > BigInt(size)) {
    throw new CallError(`index out of range: ${x}`)
  }
  return Number(x)
}

function unwrapInterface(v: Value, nilMessage: string): Value {
  if (!(v instanceof Iface)) {
    return v
  }
  if (v.inner === null || v.inner === undefined) {
    throw new CallError(nilMessage)
  }
  return v.inner
}

// default FALLBACK VALUE: VALUE unless it is nil, false or empty. Numbers, 0 included, are kept.
function withDefault(fallback: unknown, value: unknown): Value {
  const isEmpty =
    value === null ||
    value === undefined ||
    value === false ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (kindOf(value) === 'map' && Object.keys(value as GoMap).length === 0)
  // The Go function returns interface{}, so the result is an interface value.
  return new Iface(isEmpty ? fallback : value)
}

function shellQuote(value: unknown): string {
  return `'${sprint([value]).replaceAll("'", "'\\''")}'`
}
