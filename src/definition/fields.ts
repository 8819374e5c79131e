import { KindGuard, type TObject, type TSchema } from '@sinclair/typebox'
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml'
import { errorMessage } from '../shared/errors.ts'
import { parseDuration } from './duration.ts'
import { isDuration, isNested, isStringMap } from './schema.ts'
import type { FileContext } from './yaml-context.ts'
import {
  collectFields,
  combineLayers,
  entryValue,
  type Field,
  settingValue,
} from './yaml-entries.ts'

export interface Located<T> {
  value: T
  node: Node | undefined
}

export interface EnvEntry {
  name: string
  value: string
  keyNode: Node
}

/** Where a mapping is read: for messages (`prefix` + `path` + key) and unknown-key warnings. */
export interface Scope {
  ctx: FileContext
  /** `invalid pipeline definition "p": ` inside a pipeline, else empty. */
  prefix: string
  /** Key path of the mapping, with a trailing dot (`tasks.build.`), or empty. */
  path: string
  /** `pipeline "p"`, `task "t" of pipeline "p"`, ... as in the unknown-key warning. */
  where: string
}

const TRUE_WORDS = new Set([
  'true',
  'True',
  'TRUE',
  'yes',
  'Yes',
  'YES',
  'on',
  'On',
  'ON',
  'y',
  'Y',
])
const FALSE_WORDS = new Set([
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
])
const DECIMAL_INTEGER = /^[-+]?[0-9]+$/

/** The settings of one mapping, converted by the kinds of its TypeBox schema (SPEC §4.2). */
export class Settings {
  readonly #values = new Map<string, Located<unknown>>()
  readonly fields: Map<string, Field>

  constructor(fields: Map<string, Field>) {
    this.fields = fields
  }

  set(key: string, value: Located<unknown>): void {
    this.#values.set(key, value)
  }

  int(key: string): Located<number> | undefined {
    return this.#values.get(key) as Located<number> | undefined
  }

  duration(key: string): Located<number> | undefined {
    return this.#values.get(key) as Located<number> | undefined
  }

  bool(key: string): Located<boolean> | undefined {
    return this.#values.get(key) as Located<boolean> | undefined
  }

  string(key: string): Located<string> | undefined {
    return this.#values.get(key) as Located<string> | undefined
  }

  list(key: string): Located<Located<string>[]> | undefined {
    return this.#values.get(key) as Located<Located<string>[]> | undefined
  }

  map(key: string): Located<EnvEntry[]> | undefined {
    return this.#values.get(key) as Located<EnvEntry[]> | undefined
  }
}

/**
 * Reads every flat setting of `map` by `schema`, reporting type errors and unknown keys.
 * Nested mappings (tasks, on_error) stay in `fields` for the caller. `onUnknown` may claim a key.
 */
export function readSettings(
  scope: Scope,
  map: YAMLMap | undefined,
  schema: TObject,
  onUnknown?: (field: Field) => boolean,
): Settings {
  const settings = new Settings(map ? collectFields(scope.ctx, map) : new Map())
  for (const field of settings.fields.values()) {
    const fieldSchema = schema.properties[field.key]
    if (fieldSchema === undefined) {
      if (!onUnknown?.(field)) {
        scope.ctx.warning(field.keyNode, `unknown key "${field.key}" in ${scope.where}`)
      }

      continue
    }

    if (isNested(fieldSchema)) {
      continue
    }

    const value = readSetting(scope, field, fieldSchema)
    if (value !== undefined) {
      settings.set(field.key, value)
    }
  }

  return settings
}

function readSetting(scope: Scope, field: Field, schema: TSchema): Located<unknown> | undefined {
  if (isStringMap(schema)) {
    return readStringMap(scope, field)
  }

  const node = settingValue(scope.ctx, field)
  if (node === undefined) {
    return undefined
  }

  const fail = (type: string) => {
    const message = `${scope.prefix}${scope.path}${field.key}: expected ${type}`
    scope.ctx.error(node, scope.ctx.typeMessage(node, message))
    return undefined
  }

  if (KindGuard.IsArray(schema)) {
    return isSeq(node)
      ? { value: readStringItems(scope, field, node.items), node }
      : fail('a list of strings')
  }

  if (!isScalar(node)) {
    return fail(isDuration(schema) ? 'a duration' : typeName(schema))
  }

  const text = String(node.value)
  if (isDuration(schema)) {
    return readDuration(scope, field.key, node, text)
  }

  const value = convertScalar(schema, text)
  return value === undefined ? fail(typeName(schema)) : { value, node }
}

function convertScalar(schema: TSchema, text: string): unknown {
  if (KindGuard.IsInteger(schema)) {
    const value = Number(text)
    return DECIMAL_INTEGER.test(text) && Number.isSafeInteger(value) ? value : undefined
  }

  if (KindGuard.IsBoolean(schema)) {
    return TRUE_WORDS.has(text) ? true : FALSE_WORDS.has(text) ? false : undefined
  }

  return text
}

function readDuration(
  scope: Scope,
  key: string,
  node: Node,
  text: string,
): Located<number> | undefined {
  try {
    return { value: parseDuration(text, key), node }
  } catch (error) {
    scope.ctx.error(node, scope.prefix + errorMessage(error))
    return undefined
  }
}

function readStringItems(scope: Scope, field: Field, items: unknown[]): Located<string>[] {
  const values: Located<string>[] = []
  items.forEach((item, index) => {
    const node = scope.ctx.resolve(item)
    const value = stringValue(scope, node, `${scope.path}${field.key}[${index}]`)
    if (value !== undefined) {
      values.push({ value, node })
    }
  })
  return values
}

function readStringMap(scope: Scope, field: Field): Located<EnvEntry[]> | undefined {
  const path = `${scope.path}${field.key}`
  const combined = combineLayers(scope.ctx, field, (node) => {
    const message = `${scope.prefix}${path}: expected a map of strings`
    scope.ctx.error(node, scope.ctx.typeMessage(node, message))
  })
  const entries: EnvEntry[] = []
  for (const [name, entry] of combined) {
    const value = stringValue(scope, entryValue(entry), `${path}.${name}`)
    if (value !== undefined) {
      entries.push({ name, value, keyNode: entry.keyNode })
    }
  }

  return { value: entries, node: settingValue(scope.ctx, field) ?? field.keyNode }
}

/** A script line or env value: any scalar as written; null gives "" (SPEC §4.2). */
function stringValue(scope: Scope, node: Node | undefined, path: string): string | undefined {
  if (scope.ctx.isNull(node)) {
    return ''
  }

  if (!isScalar(node)) {
    const message = `${scope.prefix}${path}: expected a string`
    scope.ctx.error(node, scope.ctx.typeMessage(node, message))
    return undefined
  }

  return String(node.value)
}

function typeName(schema: TSchema): string {
  if (KindGuard.IsInteger(schema)) {
    return 'an integer'
  }

  return KindGuard.IsBoolean(schema) ? 'a boolean' : 'a string'
}

/** True when the mapping-valued node is usable; reports the type error otherwise. */
export function expectMapping(scope: Scope, node: Node | undefined, path: string): node is YAMLMap {
  if (isMap(node)) {
    return true
  }

  const message = `${scope.prefix}${path === '' ? '' : `${path}: `}expected a mapping`
  scope.ctx.error(node, scope.ctx.typeMessage(node, message))
  return false
}
