import type { PipelineDefinition } from '../../src/definition/index.ts'

/** A pipeline definition with the loader's defaults, named `p` unless `overrides` say else. */
export function makePipeline(overrides: Partial<PipelineDefinition> = {}): PipelineDefinition {
  return {
    name: 'p',
    file: 'pipelines.yml',
    concurrency: 1,
    queueLimit: null,
    queueStrategy: 'append',
    queuePartitionLimit: null,
    startDelayMs: 0,
    continueRunningTasksAfterFailure: false,
    retentionPeriodMs: 0,
    retentionCount: 0,
    env: {},
    tasks: [],
    ...overrides,
  }
}
