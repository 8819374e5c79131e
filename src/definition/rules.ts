import type { Node } from 'yaml'
import type { Scope, Settings } from './fields.ts'

const STRATEGIES = new Set(['append', 'replace', 'partitioned_replace'])

/** V1–V8: slot and wait-list settings (SPEC §4.6). */
export function checkQueueRules(scope: Scope, settings: Settings): void {
  const fail = ruleReporter(scope)
  const concurrency = settings.int('concurrency')
  const queueLimit = settings.int('queue_limit')
  const startDelay = settings.duration('start_delay')

  if (concurrency && concurrency.value < 0) {
    fail(concurrency.node, 'concurrency must be greater than 0')
  }

  if (queueLimit && queueLimit.value < 0) {
    fail(queueLimit.node, 'queue_limit must not be negative')
  }

  if (startDelay && startDelay.value < 0) {
    fail(startDelay.node, 'start_delay must not be negative')
  }

  if (startDelay && startDelay.value > 0 && queueLimit?.value === 0) {
    fail(startDelay.node, 'start_delay needs queue_limit > 0')
  }

  checkStrategy(scope, settings)
}

/** Negative retention settings mean "off", as a warning rather than an error. */
export function normalizeRetention(
  scope: Scope,
  settings: Settings,
): { retentionPeriodMs: number; retentionCount: number } {
  const period = settings.duration('retention_period')
  const count = settings.int('retention_count')
  for (const [key, setting] of [
    ['retention_period', period],
    ['retention_count', count],
  ] as const) {
    if (setting && setting.value < 0) {
      scope.ctx.warning(setting.node, `${key} is negative and is treated as 0 (off)`)
    }
  }

  return {
    retentionPeriodMs: Math.max(0, period?.value ?? 0),
    retentionCount: Math.max(0, count?.value ?? 0),
  }
}

function checkStrategy(scope: Scope, settings: Settings): void {
  const strategy = settings.string('queue_strategy')
  const queueLimit = settings.int('queue_limit')
  const partitionLimit = settings.int('queue_partition_limit')
  const partitionField = settings.fields.get('queue_partition_limit')
  const fail = ruleReporter(scope)
  const value = strategy?.value ?? 'append'

  if (!STRATEGIES.has(value)) {
    fail(strategy?.node, `unknown queue strategy: "${value}"`)
    return
  }

  if (value !== 'partitioned_replace') {
    if (partitionLimit) {
      const message =
        'queue_partition_limit is not allowed if queue_strategy=append|replace, use queue_limit instead'
      fail(partitionLimit.node, message)
    }

    return
  }

  if (queueLimit) {
    const message =
      'queue_limit is not allowed if queue_strategy=partitioned_replace, use queue_partition_limit instead'
    fail(queueLimit.node, message)
  }

  if (!partitionLimit || partitionLimit.value < 1) {
    const message =
      'queue_partition_limit must be defined and >=1 if queue_strategy=partitioned_replace'
    fail(partitionLimit?.node ?? partitionField?.keyNode ?? strategy?.node, message)
  }
}

/** Rule messages carry the pipeline prefix (SPEC §4.6). */
function ruleReporter(scope: Scope): (node: Node | undefined, message: string) => void {
  return (node, message) => scope.ctx.error(node, scope.prefix + message)
}
