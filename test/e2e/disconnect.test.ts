import { afterAll, describe, expect, test } from 'bun:test'
import { cleanupPrunners, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

afterAll(async () => {
  await cleanupPrunners()
})

describe('clients that disconnect from a followed stream', () => {
  test('end their request with one info line and no error', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': 'pipelines: {}\n' } })
    for (let i = 0; i < 3; i++) {
      const abort = new AbortController()
      const response = await fetch(`http://127.0.0.1:${prunner.port}/events`, {
        headers: { authorization: `Bearer ${prunner.token()}` },
        signal: abort.signal,
      })
      expect(response.status).toBe(200)
      abort.abort()
    }

    const eventLines = () =>
      prunner.logLines.filter(
        (line) => line.includes('msg="http request"') && line.includes('path=/events'),
      )
    await waitFor(() => eventLines().length === 3, { what: 'three /events request lines' })
    expect(prunner.logLines.filter((line) => line.includes('level=error'))).toEqual([])
    expect(await prunner.stop()).toBe(0)
  })
})
