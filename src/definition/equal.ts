import type { DefinitionSet } from './types.ts'

/**
 * True when two sets define the same pipelines from the same files, comparing every key of every
 * pipeline, task and handler (SPEC §4.8). Diagnostics are not compared.
 */
export function definitionsEqual(a: DefinitionSet, b: DefinitionSet): boolean {
  return Bun.deepEquals(a.files, b.files) && Bun.deepEquals(a.pipelines, b.pipelines)
}
