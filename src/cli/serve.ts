import { join } from 'node:path'
import type { Config } from '../config/index.ts'
import { loadEnvFiles, resolveSecret } from '../config/index.ts'
import { formatDiagnostic, loadDefinitions } from '../definition/index.ts'
import type { DefinitionSet } from '../definition/types.ts'
import { resolveDefaultShell } from '../executor/index.ts'
import type { Logger } from '../log/index.ts'
import { Scheduler, type ShutdownMode } from '../scheduler/index.ts'
import { createApp, listen } from '../server/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import { openStore, prepareDataDir, type Store } from '../store/index.ts'
import { diagnosticFields } from './diagnostics.ts'
import { createReloader } from './reloader.ts'

export interface ServeContext {
  config: Config
  logger: Logger
}

/**
 * The server command (SPEC §2.7). Resolves with the exit code: 0 after a shutdown by signal,
 * 1 when startup failed (after one `startup failed` record).
 */
export async function serve(context: ServeContext): Promise<number> {
  const { logger } = context
  let store: Store | undefined
  try {
    const server = await startServer(context, (opened) => {
      store = opened
    })
    return await server.stopped
  } catch (error) {
    store?.close()
    logger.fatal('startup failed', { error: errorMessage(error) })
    return 1
  }
}

interface RunningServer {
  stopped: Promise<number>
}

async function startServer(
  { config, logger }: ServeContext,
  onStoreOpened: (store: Store) => void,
): Promise<RunningServer> {
  const cliLogger = logger.child({ component: 'cli' })
  loadEnvFiles(config.envFiles, logger.child({ component: 'config' }))

  const defaultShell = resolveDefaultShell(config.shell, process.env.PATH)
  if (defaultShell === undefined) {
    cliLogger.warn('no shell found')
  } else {
    cliLogger.info('default shell', { shell: defaultShell })
  }

  const secret = await resolveSecret(config, logger.child({ component: 'config' }))
  const definitions = await loadAndReport(config, logger.child({ component: 'definition' }))

  prepareDataDir(config.dataDir)
  const store = openStore({ dataDir: config.dataDir, logger: logger.child({ component: 'store' }) })
  onStoreOpened(store)
  const scheduler = new Scheduler({
    store,
    logger,
    dataDir: config.dataDir,
    cwd: process.cwd(),
    defaultShell,
    definitions: definitions.pipelines,
  })
  scheduler.restore(store.loadJobs())

  const app = createApp({
    scheduler,
    secret,
    logger: logger.child({ component: 'api' }),
    enableProfiling: config.enableProfiling,
    startedAtMs: Date.now(),
  })
  const reloader = createReloader({
    path: config.path,
    pattern: config.pattern,
    initial: definitions,
    logger: logger.child({ component: 'definition' }),
    install: (set) => scheduler.setDefinitions(set.pipelines),
    pollIntervalMs: config.watch ? config.pollIntervalMs : undefined,
  })
  const shutdown = installSignalHandlers(cliLogger, () => reloader.request())
  const http = await listen({
    app,
    address: config.address,
    logger: logger.child({ component: 'api' }),
  })
  scheduler.processAllWaitLists()

  const stopped = shutdown.requested.then(async (mode) => {
    reloader.stop()
    const forced = shutdown.forced.then(() => scheduler.shutdown('forced'))
    await Promise.race([scheduler.shutdown(mode), forced])
    await http.stop(shutdown.mode() === 'forced')
    store.close()
    cliLogger.info('shutdown complete', { mode: shutdown.mode() })
    return 0
  })
  return { stopped }
}

async function loadAndReport(config: Config, logger: Logger): Promise<DefinitionSet> {
  const set = await loadDefinitions({ path: config.path, pattern: config.pattern })
  for (const warning of set.warnings) {
    logger.warn('definition warning', diagnosticFields(warning))
  }
  for (const error of set.errors) {
    logger.error('definition error', diagnosticFields(error))
  }

  const firstError = set.errors[0]
  if (firstError !== undefined) {
    throw new PrunnerError(
      'DEFINITION_INVALID',
      `loading definitions: ${formatDiagnostic(firstError)}`,
    )
  }

  if (set.files.length === 0) {
    logger.warn('no definition files found', { glob: join(config.path, config.pattern) })
  }
  logger.info('definitions loaded', { pipelines: set.pipelines.size, files: set.files.length })
  return set
}

interface ShutdownSignals {
  /** Resolves with the mode of the first SIGINT/SIGTERM. */
  requested: Promise<ShutdownMode>
  /** Resolves when a shutdown becomes forced (SIGTERM, or a second SIGINT). */
  forced: Promise<void>
  mode(): ShutdownMode | undefined
}

/**
 * Handlers are always installed: as PID 1 a signal without a handler is ignored (SPEC §2.7).
 * SIGINT is graceful, SIGTERM or a second SIGINT forced; later signals are ignored.
 */
function installSignalHandlers(logger: Logger, onReload: () => void): ShutdownSignals {
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
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // Windows has no SIGUSR1: reloads there come only from --watch (SPEC §6.8).
  if (process.platform !== 'win32') {
    process.on('SIGUSR1', () => {
      if (mode === undefined) {
        logger.info('reload requested', { signal: 'SIGUSR1' })
        onReload()
      }
    })
  }
  return { requested, forced, mode: () => mode }
}
