export { findOnPath, resolveDefaultShell } from './shell.ts'
export { startTask } from './task.ts'
export type { RunningTask, TaskOutcome, TaskOutcomeStatus, TaskRunOptions } from './types.ts'
