export {
  isJobFinished,
  type JobState,
  type PipelineSnapshot,
  type TaskState,
  type TaskStatus,
} from '../store/index.ts'
export type { PipelineInfo, ScheduleRequest, SchedulerApi } from './api.ts'
export {
  Scheduler,
  type SchedulerHooks,
  type SchedulerOptions,
  type ShutdownMode,
} from './scheduler.ts'
