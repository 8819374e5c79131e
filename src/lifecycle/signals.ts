import type { Logger } from '../log/index.ts'
import type { ShutdownMode } from '../scheduler/index.ts'

export interface ShutdownSignals {
  /** Resolves with the mode of the first SIGINT/SIGTERM. */
  requested: Promise<ShutdownMode>
  /** Resolves when a shutdown becomes forced (SIGTERM, or a second SIGINT). */
  forced: Promise<void>
  mode(): ShutdownMode | undefined
  /** Removes the handlers (for embedding programs and tests; the CLI exits instead). */
  uninstall(): void
}

/**
 * Handlers are always installed: as PID 1 a signal without a handler is ignored (SPEC §2.7).
 * SIGINT is graceful, SIGTERM or a second SIGINT forced; later signals are ignored (§10.1, §10.2).
 * SIGUSR1 asks for a reload until a shutdown starts (§10.3).
 */
export function installSignalHandlers(logger: Logger, onReload: () => void): ShutdownSignals {
  let mode: ShutdownMode | undefined
  let resolveRequested: (mode: ShutdownMode) => void = () => {}
  let resolveForced: () => void = () => {}
  const requested = new Promise<ShutdownMode>((resolve) => {
    resolveRequested = resolve
  })
  const forced = new Promise<void>((resolve) => {
    resolveForced = resolve
  })
  const onSignal = (signal: NodeJS.Signals): void => {
    if (mode === 'forced') {
      return
    }

    mode = mode === undefined && signal === 'SIGINT' ? 'graceful' : 'forced'
    logger.info('shutdown requested', { signal, mode })
    resolveRequested(mode)
    if (mode === 'forced') {
      resolveForced()
    }
  }
  const onUsr1 = (): void => {
    if (mode === undefined) {
      logger.info('reload requested', { signal: 'SIGUSR1' })
      onReload()
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // Windows has no SIGUSR1: reloads there come only from --watch (SPEC §6.8).
  const hasUsr1 = process.platform !== 'win32'
  if (hasUsr1) {
    process.on('SIGUSR1', onUsr1)
  }
  return {
    requested,
    forced,
    mode: () => mode,
    uninstall: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      if (hasUsr1) {
        process.off('SIGUSR1', onUsr1)
      }
    },
  }
}
