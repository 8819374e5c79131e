import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml'
import type { FileContext } from './yaml-context.ts'

/**
 * One key of a mapping with every value it received, lowest precedence first: values brought in
 * by merge keys (`<<`) come before the explicit one. Aliases are already followed.
 */
export interface Field {
  key: string
  /** The key that wins: the explicit one, else the merged one. */
  keyNode: Node
  layers: (Node | undefined)[]
}

const MERGE_KEY = '<<'
const collected = new WeakMap<YAMLMap, Map<string, Field>>()
const collecting = new WeakSet<YAMLMap>()

/**
 * The keys of a mapping with merge keys applied. Each mapping is collected once, so anchors used
 * many times cost (and report duplicates) once.
 */
export function collectFields(ctx: FileContext, map: YAMLMap): Map<string, Field> {
  const cached = collected.get(map)
  if (cached) {
    return cached
  }

  if (collecting.has(map)) {
    ctx.error(map, `merge key "${MERGE_KEY}" refers to a mapping that contains it`)
    return new Map()
  }

  collecting.add(map)
  const fields = buildFields(ctx, map)
  collecting.delete(map)
  collected.set(map, fields)
  return fields
}

/** The value that counts for a setting: the highest one that is not null (SPEC §4.2). */
export function settingValue(ctx: FileContext, field: Field | undefined): Node | undefined {
  return field?.layers.findLast((node) => !ctx.isNull(node))
}

/** The value of a map entry (a task, a pipeline, an env variable): the highest one, even null. */
export function entryValue(field: Field): Node | undefined {
  return field.layers.at(-1)
}

/**
 * Combines the mappings a map-valued key received (explicit entries win key by key, SPEC §4.2).
 * A layer that is not a mapping is handed to `onNotMap` and skipped.
 */
export function combineLayers(
  ctx: FileContext,
  field: Field,
  onNotMap: (node: Node) => void,
): Map<string, Field> {
  const combined = new Map<string, Field>()
  for (const layer of field.layers) {
    if (ctx.isNull(layer) || layer === undefined) {
      continue
    }

    if (!isMap(layer)) {
      onNotMap(layer)
      continue
    }

    for (const [key, entry] of collectFields(ctx, layer)) {
      // Delete first so the combined map lists keys in the order of the winning layer.
      combined.delete(key)
      combined.set(key, entry)
    }
  }

  return combined
}

function buildFields(ctx: FileContext, map: YAMLMap): Map<string, Field> {
  const fields = new Map<string, Field>()
  const explicit = new Map<string, Node>()
  const merged: YAMLMap[] = []

  for (const pair of map.items) {
    const keyNode = ctx.resolve(pair.key)
    if (keyNode === undefined) {
      continue
    }

    if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === MERGE_KEY) {
      merged.push(...mergeSources(ctx, pair.value))
      continue
    }

    const key = keyText(ctx, keyNode)
    if (key === undefined) {
      continue
    }

    const first = explicit.get(key)
    if (first) {
      ctx.error(keyNode, `duplicate key "${key}" (first defined at line ${ctx.lineOf(first)})`)
      continue
    }

    explicit.set(key, keyNode)
    fields.set(key, { key, keyNode, layers: [ctx.resolve(pair.value)] })
  }

  return mergeInto(ctx, fields, merged)
}

/** Puts merged keys below explicit ones; in `<<: [*a, *b]` the earlier source wins. */
function mergeInto(ctx: FileContext, fields: Map<string, Field>, sources: YAMLMap[]) {
  const result = new Map<string, Field>()
  for (const source of sources.toReversed()) {
    for (const [key, field] of collectFields(ctx, source)) {
      const below = result.get(key)?.layers ?? []
      result.set(key, { key, keyNode: field.keyNode, layers: [...below, ...field.layers] })
    }
  }

  for (const [key, field] of fields) {
    const below = result.get(key)?.layers ?? []
    result.delete(key)
    result.set(key, { key, keyNode: field.keyNode, layers: [...below, ...field.layers] })
  }

  return result
}

function mergeSources(ctx: FileContext, value: unknown): YAMLMap[] {
  const node = ctx.resolve(value)
  if (isMap(node)) {
    return [node]
  }

  const items = isSeq(node) ? node.items.map((item) => ctx.resolve(item)) : [node]
  const maps = items.filter((item): item is YAMLMap => isMap(item))
  if (maps.length !== items.length || node === undefined) {
    ctx.error(node, `merge key "${MERGE_KEY}" needs a mapping or a list of mappings`)
  }

  return maps
}

function keyText(ctx: FileContext, keyNode: Node): string | undefined {
  if (!isScalar(keyNode)) {
    ctx.error(keyNode, 'mapping keys must be plain text')
    return undefined
  }

  return ctx.isNull(keyNode) ? '' : String(keyNode.value)
}
