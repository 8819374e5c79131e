/** The classic API routes and their one method (SPEC §8.5); the table below adds the rest. */
export const ROUTES: ReadonlyMap<string, string> = new Map([
  ['/pipelines', 'GET'],
  ['/pipelines/', 'GET'],
  ['/pipelines/jobs', 'GET'],
  ['/pipelines/schedule', 'POST'],
  ['/job/detail', 'GET'],
  ['/job/logs', 'GET'],
  ['/job/cancel', 'POST'],
])

export const DEBUG_VARS_PATH = '/debug/vars'

/** How the guard treats one path: its single method and whether it needs a token. */
export interface RouteRule {
  method: string
  isProtected: boolean
}

export const UI_PREFIX = '/ui/'

/** The routes added after the classic API (issue 7), with the method each accepts. */
export const EXTRA_ROUTES = {
  events: '/events',
  logStream: '/job/logs/stream',
  jobs: '/jobs',
  openapi: '/openapi.json',
  health: '/health',
  metrics: '/metrics',
  uiRoot: '/ui',
  uiSession: '/ui/session',
  uiLogout: '/ui/logout',
} as const

export interface RouteTableOptions {
  enableProfiling: boolean
  hasEvents: boolean
  metricsPublic: boolean
}

/** Every exact path the app serves; `/ui/` assets are matched by prefix in `findRule`. */
export function buildRouteTable(options: RouteTableOptions): ReadonlyMap<string, RouteRule> {
  const table = new Map<string, RouteRule>()
  for (const [path, method] of ROUTES) {
    table.set(path, { method, isProtected: true })
  }

  const add = (path: string, method: string, isProtected: boolean) => {
    table.set(path, { method, isProtected })
  }
  add(EXTRA_ROUTES.logStream, 'GET', true)
  add(EXTRA_ROUTES.jobs, 'GET', true)
  add(EXTRA_ROUTES.openapi, 'GET', false)
  add(EXTRA_ROUTES.health, 'GET', false)
  add(EXTRA_ROUTES.metrics, 'GET', !options.metricsPublic)
  add(EXTRA_ROUTES.uiRoot, 'GET', false)
  add(EXTRA_ROUTES.uiSession, 'POST', false)
  add(EXTRA_ROUTES.uiLogout, 'POST', false)
  if (options.hasEvents) {
    add(EXTRA_ROUTES.events, 'GET', true)
  }
  if (options.enableProfiling) {
    add(DEBUG_VARS_PATH, 'GET', false)
  }
  return table
}

/** The rule for a path: an exact route, else a UI asset under `/ui/`. */
export function findRule(
  table: ReadonlyMap<string, RouteRule>,
  path: string,
): RouteRule | undefined {
  return (
    table.get(path) ??
    (path.startsWith(UI_PREFIX) ? { method: 'GET', isProtected: false } : undefined)
  )
}
