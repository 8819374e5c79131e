import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { Logger } from '../log/index.ts'
import { errorMessage, PrunnerError } from '../shared/errors.ts'
import type { PrunnerApp } from './app.ts'

/** A running HTTP server. `stop(false)` lets in-flight requests finish; `stop(true)` cuts them. */
export interface HttpServer {
  hostname: string
  port: number
  stop(force: boolean): Promise<void>
}

/**
 * Serves `app` on `address` (SPEC §2.2): `host:port`, `:port` for all interfaces, `[v6]:port`;
 * a host name is resolved once to its first IPv4 address, else its first address.
 */
export async function listen(options: {
  app: PrunnerApp
  address: string
  logger: Logger
}): Promise<HttpServer> {
  const { app, address } = options
  const logger = options.logger.child({ component: 'api' })
  try {
    const { host, port } = splitAddress(address)
    const hostname = host === '' ? '' : await resolveHost(host)
    const server = serve({ app, hostname, port })
    const bound = { hostname: server.hostname ?? hostname, port: server.port ?? port }
    logger.info('http api listening', { address: joinAddress(bound.hostname, bound.port) })
    return { ...bound, stop: (force) => server.stop(force) }
  } catch (error) {
    throw new PrunnerError('LISTEN', `listening on ${address}: ${errorMessage(error)}`, {
      cause: error,
    })
  }
}

/** Splits `host:port`; the host keeps no brackets and is '' for all interfaces. */
export function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':')
  if (colon === -1) {
    throw new Error('missing port in address')
  }

  const host = unbracket(address.slice(0, colon))
  const portText = address.slice(colon + 1)
  const port = Number(portText)
  if (!/^\d{1,5}$/.test(portText) || port > 65535) {
    throw new Error(`invalid port "${portText}"`)
  }

  return { host, port }
}

function unbracket(host: string): string {
  if (host.startsWith('[') && host.endsWith(']')) {
    return host.slice(1, -1)
  }

  if (host.includes(':')) {
    throw new Error('too many colons in address')
  }

  return host
}

async function resolveHost(host: string): Promise<string> {
  if (isIP(host) !== 0) {
    return host
  }

  const addresses = await lookup(host, { all: true })
  const chosen = addresses.find((entry) => entry.family === 4) ?? addresses[0]
  if (!chosen) {
    throw new Error(`no address found for host ${host}`)
  }

  return chosen.address
}

function serve(options: { app: PrunnerApp; hostname: string; port: number }) {
  const { app, port } = options
  const start = (hostname: string) =>
    Bun.serve({
      hostname,
      port,
      // The Go original has no timeouts; slow readers of large logs must not be cut off.
      idleTimeout: 0,
      development: false,
      // Bun 1.4.5 turns SO_REUSEPORT on when `development` is false unless told otherwise, and a
      // second prunner on the same port would then start silently instead of failing.
      reusePort: false,
      fetch: (request, server) =>
        app.handle(request, { remoteAddr: formatRemote(server.requestIP(request)) }),
    })
  if (options.hostname !== '') {
    return start(options.hostname)
  }

  // '::' also accepts IPv4 on dual-stack hosts, like Go's ":port"; hosts without IPv6 need 0.0.0.0.
  try {
    return start('::')
  } catch {
    return start('0.0.0.0')
  }
}

function formatRemote(address: { address: string; port: number } | null): string {
  return address ? joinAddress(address.address, address.port) : ''
}

function joinAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
