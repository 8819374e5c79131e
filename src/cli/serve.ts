import { join } from 'node:path'
import type { Config } from '../config/index.ts'
import { loadEnvFiles, resolveSecret } from '../config/index.ts'
import type { DefinitionSet } from '../definition/index.ts'
import { formatDiagnostic, loadDefinitions } from '../definition/index.ts'
import { EventHub } from '../events/index.ts'
import { resolveDefaultShell } from '../executor/index.ts'
import {
  createTaskProcessTracker,
  importDataJson,
  installSignalHandlers,
  killLeftoverTaskGroups,
  type Retention,
  startRetention,
  startZombieReaper,
} from '../lifecycle/index.ts'
import type { Logger } from '../log/index.ts'
import { Scheduler } from '../scheduler/index.ts'
import { createApp, listen } from '../server/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import { openStore, prepareDataDir, type Store } from '../store/index.ts'
import { diagnosticFields } from './diagnostics.ts'
import { createReloader } from './reloader.ts'
import { currentVersion } from './version.ts'

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
  let server: RunningServer
  try {
    const inputs = await readInputs(context)
    store = openState(context)
    server = await startServing({ context, inputs, state: store })
  } catch (error) {
    store?.close()
    logger.fatal('startup failed', { error: errorMessage(error) })
    return 1
  }

  try {
    return await server.stopped
  } catch (error) {
    logger.error('shutdown failed', { component: 'cli', error: errorMessage(error) })
    return 1
  }
}

interface Inputs {
  defaultShell: string | undefined
  secret: string
  definitions: DefinitionSet
}

interface RunningServer {
  stopped: Promise<number>
}

/** Steps 2–5: env files, default shell, secret and definitions; nothing is opened yet. */
async function readInputs({ config, logger }: ServeContext): Promise<Inputs> {
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
  return { defaultShell, secret, definitions }
}

/** Step 6: the data dir and database, the one-time import, and leftovers of a killed prunner. */
function openState({ config, logger }: ServeContext): Store {
  prepareDataDir(config.dataDir)
  const storeLogger = logger.child({ component: 'store' })
  const store = openStore({ dataDir: config.dataDir, logger: storeLogger })
  try {
    importDataJson({ store, dataDir: config.dataDir, logger: storeLogger })
    // Before anything of this run is spawned, so only groups of the dead prunner can match.
    killLeftoverTaskGroups({ store, logger: logger.child({ component: 'cli' }) })
  } catch (error) {
    store.close()
    throw error
  }
  return store
}

/** Steps 6–9: restart recovery, signals, reaper, listening, wait lists and retention. */
async function startServing(options: {
  context: ServeContext
  inputs: Inputs
  state: Store
}): Promise<RunningServer> {
  const { config, logger } = options.context
  const { inputs, state: store } = options
  const cliLogger = logger.child({ component: 'cli' })
  let current = inputs.definitions.pipelines
  let retention: Retention | undefined
  const events = new EventHub({ logger })
  const tracker = createTaskProcessTracker({ store, logger: cliLogger })
  const scheduler = new Scheduler({
    store,
    logger,
    dataDir: config.dataDir,
    cwd: process.cwd(),
    defaultShell: inputs.defaultShell,
    definitions: current,
    hooks: {
      onTaskSpawned: tracker.onTaskSpawned,
      onTaskExited: tracker.onTaskExited,
      onJobCompleted: () => retention?.request(),
      onJobChanged: events.hooks.onJobChanged,
    },
  })
  const storedJobs = store.loadJobs()
  // Seeded first, so the hub reports what restart recovery changes in the stored jobs.
  events.seed(storedJobs)
  scheduler.restore(storedJobs)

  const reloader = createReloader({
    path: config.path,
    pattern: config.pattern,
    initial: inputs.definitions,
    logger: logger.child({ component: 'definition' }),
    install: (set) => {
      current = set.pipelines
      scheduler.setDefinitions(set.pipelines)
      retention?.request()
    },
    pollIntervalMs: config.watch ? config.pollIntervalMs : undefined,
  })
  const signals = installSignalHandlers(cliLogger, () => reloader.request())
  // SPEC §2.7 step 7: the reaper only as PID 1, where every orphan of the container lands.
  const reaper =
    process.pid === 1
      ? await startZombieReaper({ logger: cliLogger, isTaskShell: tracker.isTaskShell })
      : undefined
  const http = await listen({
    app: createApp({
      scheduler,
      secret: inputs.secret,
      logger: logger.child({ component: 'api' }),
      enableProfiling: config.enableProfiling,
      startedAtMs: Date.now(),
      events,
      metricsPublic: config.metricsPublic,
      version: currentVersion(),
    }),
    address: config.address,
    logger: logger.child({ component: 'api' }),
  })
  scheduler.processAllWaitLists()
  retention = startRetention({
    scheduler,
    definitions: () => current,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'scheduler' }),
  })
  retention.runNow()

  const stopped = signals.requested.then(async (mode) => {
    reloader.stop()
    const forced = signals.forced.then(() => scheduler.shutdown('forced'))
    await Promise.race([scheduler.shutdown(mode), forced])
    retention?.stop()
    // A forced signal that arrives while in-flight requests are awaited cuts them off.
    await Promise.race([
      http.stop(signals.mode() === 'forced'),
      signals.forced.then(() => http.stop(true)),
    ])
    reaper?.stop()
    scheduler.flush()
    closeStore(store, cliLogger)
    cliLogger.info('shutdown complete', { mode: signals.mode() })
    return 0
  })
  return { stopped }
}

// Every job state was committed when it changed, so a failing close loses nothing; it is
// reported and the shutdown goes on.
function closeStore(store: Store, logger: Logger): void {
  try {
    store.close()
  } catch (error) {
    logger.error('closing database failed', { error: errorMessage(error) })
  }
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
