import { Elysia } from 'elysia'
import type { SchedulerApi } from '../scheduler/index.ts'
import { jsonResponse } from './responses.ts'
import { DEBUG_VARS_PATH } from './route-table.ts'

/** `GET /debug/vars`: a memory and job snapshot instead of the Go original's pprof (SPEC §8.6). */
export function debugRoutes(options: { scheduler: SchedulerApi; startedAtMs: number }) {
  return new Elysia().get(DEBUG_VARS_PATH, () => {
    const memory = process.memoryUsage()
    const { running, queued } = options.scheduler.counts()
    return jsonResponse({
      uptimeSeconds: Math.floor((Date.now() - options.startedAtMs) / 1000),
      memory: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
      },
      jobs: { running, queued },
    })
  })
}
