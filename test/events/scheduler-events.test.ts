import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PipelineDefinition } from '../../src/definition/types.ts'
import { EventHub, type PrunnerEvent } from '../../src/events/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { Scheduler } from '../../src/scheduler/index.ts'
import { makePipeline } from '../helpers/definitions.ts'
import { waitFor } from '../helpers/wait.ts'

const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('events from the real scheduler', () => {
  test('report a job that starts at once as created and started, never as queued', async () => {
    const { scheduler, types, events } = setup({ concurrency: 1 })
    await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    await waitFor(() => types.includes('job.finished'), { what: 'job.finished' })

    expect(types).not.toContain('job.queued')
    expect(types.slice(0, 2)).toEqual(['job.created', 'job.started'])
    const finished = events.find((event) => event.type === 'task.finished')
    expect(finished?.data).toMatchObject({
      task: { name: 't', status: 'done', skipped: false, exitCode: 0, errored: false },
    })
  })

  test('report a job that has to wait as queued', async () => {
    const { scheduler, types } = setup({ concurrency: 1, startDelayMs: 60_000 })
    await scheduler.schedule({ pipeline: 'p', partition: '', user: '' })
    await waitFor(() => types.includes('job.queued'), { what: 'job.queued' })

    expect(types).toEqual(['job.created', 'job.queued'])
    await scheduler.shutdown('forced')
  })
})

function setup(overrides: Partial<PipelineDefinition>) {
  const dir = mkdtempSync(join(tmpdir(), 'prunner-events-'))
  dirs.push(dir)
  const hub = new EventHub()
  const types: string[] = []
  const events: PrunnerEvent[] = []
  hub.subscribe((event) => {
    types.push(event.type)
    events.push(event)
  })
  const definition = makePipeline({
    tasks: [{ name: 't', script: ['true'], dependsOn: [], allowFailure: false, env: {} }],
    ...overrides,
  })
  const scheduler = new Scheduler({
    store: { insertJob: () => {}, saveJob: () => {}, saveJobs: () => {}, deleteJob: () => {} },
    hooks: hub.hooks,
    logger: silentLogger(),
    dataDir: join(dir, 'data'),
    cwd: dir,
    defaultShell: '/bin/sh',
    definitions: new Map([[definition.name, definition]]),
  })
  return { scheduler, types, events }
}
