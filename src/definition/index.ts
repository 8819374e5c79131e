export { parseDuration } from './duration.ts'
export { definitionsEqual } from './equal.ts'
export { formatDiagnostic, formatValidateJson, formatValidateText } from './format.ts'
export { taskOrder } from './graph.ts'
export { type LoadOptions, loadDefinitions } from './load.ts'
export type {
  DefinitionSet,
  Diagnostic,
  HandlerDefinition,
  PipelineDefinition,
  QueueStrategy,
  Severity,
  TaskDefinition,
} from './types.ts'
