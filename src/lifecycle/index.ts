export {
  listProcesses,
  type ProcStat,
  parseProcStat,
  readBootId,
  readProcStat,
} from '../shared/proc.ts'
export { importDataJson, parseDataJson } from './data-json.ts'
export { findLeftoverMembers, killLeftoverTaskGroups } from './orphans.ts'
export { startZombieReaper, type ZombieReaper } from './reaper.ts'
export {
  type RemovalReason,
  type Retention,
  runRetentionPass,
  selectRemovals,
  startRetention,
} from './retention.ts'
export { installSignalHandlers, type ShutdownSignals } from './signals.ts'
export { createTaskProcessTracker, type TaskProcessTracker } from './task-processes.ts'
