import type { PipelineDefinition } from '../definition/index.ts'
import type { JobState } from '../store/index.ts'

export type AdmissionDecision =
  | { kind: 'start' }
  | { kind: 'queue'; replace?: JobState }
  | { kind: 'reject'; reason: string }

const QUEUEING_DISABLED = 'concurrency exceeded and queueing disabled for pipeline'
const QUEUE_FULL = 'concurrency exceeded and queue limit reached for pipeline'

/**
 * What a schedule request gets (SPEC §5.3 steps 4–5), from the pipeline's current settings,
 * its running count and its wait list (in order).
 */
export function decideAdmission(options: {
  definition: PipelineDefinition
  runningCount: number
  waitList: readonly JobState[]
  partition: string
}): AdmissionDecision {
  const { definition, runningCount, waitList, partition } = options
  if (definition.startDelayMs === 0 && runningCount < definition.concurrency) {
    return { kind: 'start' }
  }

  switch (definition.queueStrategy) {
    case 'append':
      return decideAppend(definition.queueLimit, waitList.length)
    case 'replace':
      return decideReplace(definition.queueLimit, waitList)
    case 'partitioned_replace':
      return decidePartitioned(definition.queuePartitionLimit ?? 1, waitList, partition)
  }
}

/** Whether a request made now would be accepted for some partition (SPEC §5.6). */
export function isSchedulable(options: {
  definition: PipelineDefinition
  runningCount: number
  waitListLength: number
}): boolean {
  const { definition, runningCount, waitListLength } = options
  if (definition.startDelayMs === 0 && runningCount < definition.concurrency) {
    return true
  }

  switch (definition.queueStrategy) {
    case 'append':
      return definition.queueLimit === null || waitListLength < definition.queueLimit
    case 'replace':
      return definition.queueLimit !== 0
    case 'partitioned_replace':
      return true
  }
}

function decideAppend(queueLimit: number | null, waitListLength: number): AdmissionDecision {
  if (queueLimit === 0) {
    return { kind: 'reject', reason: QUEUEING_DISABLED }
  }

  if (queueLimit !== null && waitListLength >= queueLimit) {
    return { kind: 'reject', reason: QUEUE_FULL }
  }

  return { kind: 'queue' }
}

function decideReplace(
  queueLimit: number | null,
  waitList: readonly JobState[],
): AdmissionDecision {
  if (queueLimit === 0) {
    return { kind: 'reject', reason: QUEUEING_DISABLED }
  }

  // A missing queue_limit means a wait list of one (the Go original crashes the request here).
  const limit = queueLimit ?? 1
  if (waitList.length < limit) {
    return { kind: 'queue' }
  }

  return { kind: 'queue', replace: waitList[waitList.length - 1] }
}

function decidePartitioned(
  partitionLimit: number,
  waitList: readonly JobState[],
  partition: string,
): AdmissionDecision {
  const samePartition = waitList.filter((job) => job.partition === partition)
  if (samePartition.length < partitionLimit) {
    return { kind: 'queue' }
  }

  return { kind: 'queue', replace: samePartition[samePartition.length - 1] }
}
