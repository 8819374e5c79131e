/** Typed pipeline definitions, as the loader produces them from YAML (SPEC §4). */

export type QueueStrategy = 'append' | 'replace' | 'partitioned_replace'

export interface TaskDefinition {
  name: string
  /** Raw script lines (templates, not yet rendered). */
  script: string[]
  /** As written in YAML, order kept. */
  dependsOn: string[]
  allowFailure: boolean
  env: Record<string, string>
  /** The `shell` key as written, if any. */
  shell?: string
}

export interface HandlerDefinition {
  script: string[]
  env: Record<string, string>
  shell?: string
}

export interface PipelineDefinition {
  name: string
  /** The definition file, named as matched by the glob (e.g. `examples/pipelines.yml`). */
  file: string
  /** Normalised: `0` in YAML becomes `1`. */
  concurrency: number
  /** null = unbounded. */
  queueLimit: number | null
  queueStrategy: QueueStrategy
  /** null when absent. */
  queuePartitionLimit: number | null
  startDelayMs: number
  continueRunningTasksAfterFailure: boolean
  /** 0 = off; negative values are normalised to 0 (with a warning). */
  retentionPeriodMs: number
  retentionCount: number
  env: Record<string, string>
  shell?: string
  /** Tasks in task order (SPEC §5.8: topological, ties by byte-wise name). */
  tasks: TaskDefinition[]
  onError?: HandlerDefinition
}

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  file: string
  /** 1-based; 0 when unknown. */
  line: number
  /** 1-based; 0 when unknown. */
  column: number
  severity: Severity
  message: string
}

export interface DefinitionSet {
  /** Matched files in load order (byte-wise by name). */
  files: string[]
  /** Pipelines that loaded without error, by name. */
  pipelines: Map<string, PipelineDefinition>
  /** Sorted by file, line, column. */
  errors: Diagnostic[]
  warnings: Diagnostic[]
}
