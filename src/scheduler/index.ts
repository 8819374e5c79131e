export type { PipelineInfo, ScheduleRequest, SchedulerApi } from './api.ts'
export { Scheduler, type SchedulerOptions, type ShutdownMode } from './scheduler.ts'
export type { JobState, PipelineSnapshot, TaskState, TaskStatus } from './types.ts'
