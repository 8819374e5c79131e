import { describe, expect, test } from 'bun:test'
import { PrunnerError } from '../../src/shared/errors.ts'
import { makeJob, req, setup } from './helpers.ts'

function schedule(app: ReturnType<typeof setup>['app'], body: string | undefined, headers = {}) {
  return req(app, '/pipelines/schedule', { method: 'POST', body, headers })
}

async function read(response: Response) {
  return { status: response.status, body: await response.text() }
}

describe('GET /pipelines and /pipelines/jobs', () => {
  test('lists pipelines as JSON followed by a newline', async () => {
    const { app, scheduler } = setup()
    scheduler.pipelines = [
      { pipeline: 'a', schedulable: true, running: false },
      { pipeline: 'b', schedulable: false, running: true },
    ]
    const response = await req(app, '/pipelines')
    expect(response.headers.get('content-type')).toStartWith('application/json')
    expect(await response.text()).toBe(
      '{"pipelines":[{"pipeline":"a","schedulable":true,"running":false},' +
        '{"pipeline":"b","schedulable":false,"running":true}]}\n',
    )
  })

  test('returns empty arrays when there are no pipelines and no jobs', async () => {
    const { app } = setup()
    expect(await (await req(app, '/pipelines')).text()).toBe('{"pipelines":[]}\n')
    expect(await (await req(app, '/pipelines/jobs')).text()).toBe('{"pipelines":[],"jobs":[]}\n')
  })

  test('lists jobs in the order the scheduler returns them', async () => {
    const { app, scheduler } = setup()
    scheduler.jobs = [makeJob({ id: 'b'.repeat(8) }), makeJob({ id: 'a'.repeat(8) })]
    const body = JSON.parse(await (await req(app, '/pipelines/jobs')).text())
    expect(body.jobs.map((job: { id: string }) => job.id)).toEqual(['bbbbbbbb', 'aaaaaaaa'])
  })
})

describe('POST /pipelines/schedule', () => {
  test('accepts a JSON body sent without Content-Type and answers 202 with the job id', async () => {
    const { app, scheduler } = setup()
    const response = await schedule(app, '{"pipeline":"deploy","variables":{"tag":"v1"}}')
    expect(await read(response)).toEqual({
      status: 202,
      body: '{"jobId":"0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11"}\n',
    })
    expect(scheduler.scheduled).toEqual([
      { pipeline: 'deploy', partition: '', variables: { tag: 'v1' }, user: 'jane' },
    ])
  })

  test('parses the body as JSON whatever the Content-Type says', async () => {
    const { app, scheduler } = setup()
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data']) {
      const response = await schedule(app, '{"pipeline":"deploy"}', { 'Content-Type': type })
      expect(response.status).toBe(202)
    }
    expect(scheduler.scheduled).toHaveLength(3)
  })

  test('matches keys case-insensitively with the exact-case key winning', async () => {
    const { app, scheduler } = setup()
    await schedule(app, '{"Pipeline":"a","VARIABLES":{"x":1},"QueuePartition":"p"}')
    await schedule(app, '{"PIPELINE":"wrong","pipeline":"b","Pipeline":"wrong too"}')
    expect(
      scheduler.scheduled.map(({ pipeline, partition, variables }) => ({
        pipeline,
        partition,
        variables,
      })),
    ).toEqual([
      { pipeline: 'a', partition: 'p', variables: { x: 1 } },
      { pipeline: 'b', partition: '', variables: undefined },
    ])
  })

  test('reads missing or null fields as empty and ignores unknown keys', async () => {
    const { app, scheduler } = setup()
    await schedule(app, '{"pipeline":null,"variables":null,"queuePartition":null,"extra":[1]}')
    await schedule(app, '{}')
    for (const request of scheduler.scheduled) {
      expect(request).toEqual({ pipeline: '', partition: '', user: 'jane' })
    }
  })

  test('reads variables [] and {} as no variables', async () => {
    const { app, scheduler } = setup()
    await schedule(app, '{"pipeline":"a","variables":[]}')
    await schedule(app, '{"pipeline":"a","variables":{}}')
    expect(scheduler.scheduled.map((request) => request.variables)).toEqual([undefined, undefined])
  })

  test('keeps lists and PHP force-object lists inside variables as received', async () => {
    const { app, scheduler } = setup()
    await schedule(app, '{"pipeline":"a","variables":{"list":[1,2],"obj":{"0":"x","1":"y"}}}')
    expect(scheduler.scheduled[0]?.variables).toEqual({ list: [1, 2], obj: { '0': 'x', '1': 'y' } })
  })

  test('answers an empty body with Error decoding JSON: EOF', async () => {
    const { app } = setup()
    for (const body of [undefined, '', ' \n\t']) {
      expect(await read(await schedule(app, body))).toEqual({
        status: 400,
        body: '{"error":"Error decoding JSON: EOF"}\n',
      })
    }
  })

  test('answers bodies that are not a JSON object or have wrong field types with 400', async () => {
    const { app, scheduler } = setup()
    const cases: [string, string][] = [
      ['[1]', 'body must be a JSON object'],
      ['"text"', 'body must be a JSON object'],
      ['null', 'body must be a JSON object'],
      ['{"pipeline":1}', 'pipeline must be a string'],
      ['{"pipeline":"a","variables":"x"}', 'variables must be an object'],
      ['{"pipeline":"a","variables":[1]}', 'variables must be an object'],
      ['{"pipeline":"a","queuePartition":5}', 'queuePartition must be a string'],
    ]
    for (const [body, detail] of cases) {
      expect(await read(await schedule(app, body))).toEqual({
        status: 400,
        body: `${JSON.stringify({ error: `Error decoding JSON: ${detail}` })}\n`,
      })
    }
    const broken = await read(await schedule(app, '{"pipeline":'))
    expect(broken.status).toBe(400)
    expect(JSON.parse(broken.body).error).toStartWith('Error decoding JSON: ')
    expect(scheduler.scheduled).toEqual([])
  })

  test('maps scheduler errors to the statuses and texts of the spec', async () => {
    const { app, scheduler } = setup()
    const cases: [PrunnerError, number, string][] = [
      [
        new PrunnerError('PIPELINE_NOT_FOUND', 'pipeline "x" is not defined'),
        400,
        'Error scheduling pipeline: pipeline "x" is not defined',
      ],
      [
        new PrunnerError('SCHEDULE_REJECTED', 'queue limit reached'),
        400,
        'Error scheduling pipeline: queue limit reached',
      ],
      [new PrunnerError('SHUTTING_DOWN', 'shutting down'), 503, 'Server is shutting down'],
      [new PrunnerError('STORE_FAILED', 'disk full'), 500, 'Error storing job'],
    ]
    for (const [error, status, message] of cases) {
      scheduler.scheduleError = error
      expect(await read(await schedule(app, '{"pipeline":"x"}'))).toEqual({
        status,
        body: `${JSON.stringify({ error: message })}\n`,
      })
    }
  })

  test('writes <, > and & literally in error texts', async () => {
    const { app, scheduler } = setup()
    scheduler.scheduleError = new PrunnerError(
      'PIPELINE_NOT_FOUND',
      'pipeline "<a&b>" is not defined',
    )
    expect((await read(await schedule(app, '{"pipeline":"<a&b>"}'))).body).toBe(
      '{"error":"Error scheduling pipeline: pipeline \\"<a&b>\\" is not defined"}\n',
    )
  })
})
