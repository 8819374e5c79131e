import { describe, expect, test } from 'bun:test'
import { EventHub } from '../../src/events/index.ts'
import { Logger } from '../../src/log/index.ts'
import { createApp } from '../../src/server/index.ts'
import { buildRouteTable } from '../../src/server/route-table.ts'
import { FakeScheduler, JOB_WIRE_KEYS, req, SECRET } from './helpers.ts'

type Json = Record<string, unknown>

async function fetchDocument(): Promise<Json> {
  const app = createApp({
    scheduler: new FakeScheduler(),
    secret: SECRET,
    logger: new Logger({ sink: () => {}, level: 'error' }),
    enableProfiling: true,
    startedAtMs: Date.now(),
    events: new EventHub(),
    version: '1.2.3',
  })
  const response = await req(app, '/openapi.json', { token: null })
  expect(response.status).toBe(200)
  return (await response.json()) as Json
}

/** Every `$ref` string anywhere in `value`. */
function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) {
      collectRefs(item, into)
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') {
        into.push(item)
      } else {
        collectRefs(item, into)
      }
    }
  }
  return into
}

function resolvePointer(document: Json, ref: string): unknown {
  expect(ref).toStartWith('#/')
  let node: unknown = document
  for (const part of ref.slice(2).split('/')) {
    node = (node as Json | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')]
  }
  return node
}

describe('GET /openapi.json', () => {
  test('is an OpenAPI 3.1 document covering every route the server answers', async () => {
    const document = await fetchDocument()
    expect(document.openapi).toBe('3.1.0')
    expect((document.info as Json).version).toBe('1.2.3')
    const paths = document.paths as Record<string, Json>
    const table = buildRouteTable({ enableProfiling: true, hasEvents: true, metricsPublic: false })
    for (const [path, rule] of table) {
      expect({ path, method: Object.keys(paths[path] ?? {}) }).toEqual({
        path,
        method: [rule.method.toLowerCase()],
      })
    }
    expect(Object.keys(paths)).toContain('/ui/{asset}')
  })

  test('resolves every schema reference', async () => {
    const document = await fetchDocument()
    const refs = collectRefs(document)
    expect(refs.length).toBeGreaterThan(5)
    for (const ref of refs) {
      const target = resolvePointer(document, ref)
      expect({ ref, isSchema: typeof target === 'object' && target !== null }).toEqual({
        ref,
        isSchema: true,
      })
    }
  })

  test('gives each operation an id, responses and the security its route really has', async () => {
    const document = await fetchDocument()
    const ids = new Set<string>()
    for (const [path, item] of Object.entries(
      document.paths as Record<string, Record<string, Json>>,
    )) {
      for (const operation of Object.values(item)) {
        expect(typeof operation.operationId).toBe('string')
        ids.add(operation.operationId as string)
        expect(Object.keys(operation.responses as Json).length).toBeGreaterThan(0)
        const isPublic = [
          '/health',
          '/openapi.json',
          '/debug/vars',
          '/ui',
          '/ui/{asset}',
          '/ui/session',
          '/ui/logout',
        ].includes(path)
        expect({ path, security: (operation.security as unknown[]).length > 0 }).toEqual({
          path,
          security: !isPublic,
        })
      }
    }
    expect(ids.size).toBe(
      Object.values(document.paths as Json).flatMap((item) => Object.keys(item as Json)).length,
    )
  })

  test('describes the job schema with the wire fields of SPEC 8.4 and query parameters', async () => {
    const document = await fetchDocument()
    const job = ((document.components as Json).schemas as Record<string, Json>).Job as Json
    expect(Object.keys(job.properties as Json)).toEqual(JOB_WIRE_KEYS)
    expect(job.required).not.toContain('lastError')
    const detail = (document.paths as Record<string, Record<string, Json>>)['/job/detail']
      ?.get as Json
    expect(detail.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'query', required: true }),
    ])
  })
})
