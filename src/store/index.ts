export { jobLogDir, prepareDataDir, taskLogPaths } from './data-dir.ts'
export {
  isJobFinished,
  type JobState,
  type PipelineSnapshot,
  type TaskState,
  type TaskStatus,
} from './job-types.ts'
export { DATABASE_FILE, openStore } from './open.ts'
export type { OpenStoreOptions, Store, TaskProcessRecord } from './types.ts'
