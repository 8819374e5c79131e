import { KindGuard, type TObject, type TSchema, Type } from '@sinclair/typebox'

/**
 * The shapes of the YAML keys (SPEC §4.3, §4.4). The loader reads settings by these schemas'
 * kinds; their property lists are the known keys, anything else gets an unknown-key warning.
 */
const StringList = Type.Array(Type.String())
const StringMap = Type.Record(Type.String(), Type.String())
const Duration = Type.String({ format: 'duration' })

export const HandlerSchema = Type.Object({
  script: StringList,
  env: StringMap,
  shell: Type.String(),
})

export const TaskSchema = Type.Object({
  script: StringList,
  depends_on: StringList,
  allow_failure: Type.Boolean(),
  env: StringMap,
  shell: Type.String(),
})

export const PipelineSchema = Type.Object({
  concurrency: Type.Integer(),
  queue_limit: Type.Integer(),
  queue_strategy: Type.String(),
  queue_partition_limit: Type.Integer(),
  start_delay: Duration,
  continue_running_tasks_after_failure: Type.Boolean(),
  retention_period: Duration,
  retention_count: Type.Integer(),
  env: StringMap,
  shell: Type.String(),
  tasks: Type.Record(Type.String(), TaskSchema),
  on_error: HandlerSchema,
})

export const TopLevelSchema = Type.Object({
  pipelines: Type.Record(Type.String(), PipelineSchema),
})

/** Keys the loader reads by hand (nested mappings); the generic reader skips them. */
export function isNested(schema: TSchema): boolean {
  return KindGuard.IsObject(schema) || (KindGuard.IsRecord(schema) && !isStringMap(schema))
}

export function isStringMap(schema: TSchema): boolean {
  return (
    KindGuard.IsRecord(schema) && Object.values(schema.patternProperties).every(KindGuard.IsString)
  )
}

export function isDuration(schema: TSchema): boolean {
  return KindGuard.IsString(schema) && schema.format === 'duration'
}

export function knownKeys(schema: TObject): Set<string> {
  return new Set(Object.keys(schema.properties))
}
