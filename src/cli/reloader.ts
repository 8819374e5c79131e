import type { DefinitionSet } from '../definition/index.ts'
import { definitionsEqual, formatDiagnostic, loadDefinitions } from '../definition/index.ts'
import type { Logger } from '../log/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { diagnosticFields } from './diagnostics.ts'

/** setInterval's limit; a longer --poll-interval is clamped so it does not fire at once. */
const MAX_INTERVAL_MS = 2 ** 31 - 1

export interface Reloader {
  /** Asks for a reload; requests during a reload are merged into one more reload after it. */
  request(): void
  stop(): void
}

/**
 * Reloads definitions on SIGUSR1 and `--watch` ticks (SPEC §4.8, §10.3): never overlapping, an
 * invalid set keeps the current one, an equal set changes nothing.
 */
export function createReloader(options: {
  path: string
  pattern: string
  initial: DefinitionSet
  logger: Logger
  install: (set: DefinitionSet) => void
  pollIntervalMs?: number
}): Reloader {
  const { logger } = options
  let current = options.initial
  let isRunning = false
  let isPending = false
  let isStopped = false
  let isExplicitPending = false
  // The errors of the last failed reload: a --watch tick that finds the same broken files
  // again does not log them again (an explicit SIGUSR1 always does).
  let lastFailure: string | undefined

  const reloadOnce = async (isExplicit: boolean): Promise<void> => {
    const next = await loadDefinitions({ path: options.path, pattern: options.pattern })
    // A shutdown that began while the files were read keeps the definitions it started with.
    if (isStopped) {
      return
    }

    if (next.errors.length > 0) {
      const failure = next.errors.map(formatDiagnostic).join('\n')
      if (failure === lastFailure && !isExplicit) {
        logger.debug('definitions still invalid', { error: next.errors[0]?.message })
        return
      }

      lastFailure = failure
      for (const diagnostic of next.errors) {
        logger.error('definition error', diagnosticFields(diagnostic))
      }
      logger.error('reloading definitions failed', { error: next.errors[0]?.message })
      return
    }

    lastFailure = undefined

    if (definitionsEqual(current, next)) {
      logger.debug('definitions unchanged', { pipelines: next.pipelines.size })
      return
    }

    for (const warning of next.warnings) {
      logger.warn('definition warning', diagnosticFields(warning))
    }
    current = next
    options.install(next)
    logger.info('definitions reloaded', { pipelines: next.pipelines.size })
  }

  const run = async (): Promise<void> => {
    isRunning = true
    while (isPending && !isStopped) {
      const isExplicit = isExplicitPending
      isPending = false
      isExplicitPending = false
      try {
        await reloadOnce(isExplicit)
      } catch (error) {
        logger.error('reloading definitions failed', { error: errorMessage(error) })
      }
    }
    isRunning = false
  }

  const request = (isExplicit = true): void => {
    if (isStopped) {
      return
    }

    isPending = true
    isExplicitPending ||= isExplicit
    if (!isRunning) {
      void run()
    }
  }

  const timer =
    options.pollIntervalMs === undefined
      ? undefined
      : setInterval(() => request(false), Math.min(options.pollIntervalMs, MAX_INTERVAL_MS))
  return {
    request: () => request(true),
    stop: () => {
      isStopped = true
      clearInterval(timer)
    },
  }
}
