export { EventHub, type EventListener, type Resume } from './event-hub.ts'
export {
  isTaskFinished,
  JOB_STATUSES,
  type JobStatus,
  jobStatus,
} from './job-status.ts'
export { createEventStream, type EventStreamOptions, formatEvent } from './sse-stream.ts'
export {
  EVENT_TYPES,
  type EventType,
  type JobEventData,
  type PrunnerEvent,
  type TaskEventData,
} from './types.ts'
