import { describe, expect, test } from 'bun:test'
import type { JobJson } from '../../src/server/index.ts'
import { makeJob, makeTask, req, setup } from './helpers.ts'

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

interface Page {
  jobs: JobJson[]
  next: string | null
}

/** 7 jobs, newest first: even ones of `build` and finished, odd ones of `deploy` and queued. */
function withJobs() {
  const context = setup()
  context.scheduler.jobs = Array.from({ length: 7 }, (_, i) =>
    makeJob({
      id: uuid(7 - i),
      seq: 7 - i,
      created: Date.UTC(2025, 0, 1, 0, 0, 7 - i),
      pipeline: i % 2 === 0 ? 'build' : 'deploy',
      ...(i % 2 === 0
        ? { start: 1, end: 2, completed: true, tasks: [makeTask({ name: 't', status: 'done' })] }
        : {}),
    }),
  )
  return context
}

async function page(path: string): Promise<Page> {
  const { app } = withJobs()
  const response = await req(app, path)
  expect(response.status).toBe(200)
  return (await response.json()) as Page
}

describe('GET /jobs', () => {
  test('pages through every job newest first with next as the cursor', async () => {
    const { app } = withJobs()
    const ids: string[] = []
    let before = ''
    for (let i = 0; i < 10; i++) {
      const response = await req(app, `/jobs?limit=3${before ? `&before=${before}` : ''}`)
      const body = (await response.json()) as Page
      ids.push(...body.jobs.map((job) => job.id))
      if (body.next === null) {
        break
      }
      before = body.next
    }
    expect(ids).toEqual([7, 6, 5, 4, 3, 2, 1].map(uuid))
  })

  test('filters by pipeline and by status, several statuses separated by commas', async () => {
    expect((await page('/jobs?pipeline=deploy')).jobs.map((job) => job.id)).toEqual(
      [6, 4, 2].map(uuid),
    )
    expect((await page('/jobs?status=done')).jobs.every((job) => job.pipeline === 'build')).toBe(
      true,
    )
    expect((await page('/jobs?status=queued,done')).jobs).toHaveLength(7)
    const filtered = await page(`/jobs?pipeline=build&limit=2&before=${uuid(6)}`)
    expect(filtered.jobs.map((job) => job.id)).toEqual([5, 3].map(uuid))
    const rest = await page(`/jobs?pipeline=build&limit=2&before=${filtered.next}`)
    expect(rest.jobs.map((job) => job.id)).toEqual([1].map(uuid))
    expect(rest.next).toBeNull()
  })

  test('keeps paging when the job a cursor came from has been removed', async () => {
    const { app, scheduler } = withJobs()
    const first = (await (await req(app, '/jobs?limit=3')).json()) as Page
    scheduler.jobs = scheduler.jobs.filter((job) => job.id !== uuid(5))
    const second = (await (await req(app, `/jobs?limit=3&before=${first.next}`)).json()) as Page
    expect(first.jobs.map((job) => job.id)).toEqual([7, 6, 5].map(uuid))
    expect(second.jobs.map((job) => job.id)).toEqual([4, 3, 2].map(uuid))
  })

  test('returns jobs in the wire format of /job/detail and next null on the last page', async () => {
    const body = await page('/jobs?limit=7')
    expect(body.next).toBeNull()
    expect(Object.keys(body.jobs[0] ?? {})).toEqual([
      'id',
      'pipeline',
      'tasks',
      'completed',
      'canceled',
      'errored',
      'created',
      'start',
      'end',
      'user',
    ])
  })

  test('rejects bad parameters with 400 and unknown cursors with 404', async () => {
    const { app } = withJobs()
    for (const query of ['limit=0', 'limit=501', 'limit=x', 'status=weird', 'before=nope']) {
      const response = await req(app, `/jobs?${query}`)
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toBeString()
    }
    expect((await req(app, `/jobs?before=${uuid(99)}`)).status).toBe(404)
  })

  test('needs a token', async () => {
    const { app } = withJobs()
    const response = await req(app, '/jobs', { token: null })
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('no token found\n')
  })
})
