import { afterEach, describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { cleanupPrunners, type PrunnerProcess, startPrunner } from '../helpers/prunner-process.ts'
import { waitFor } from '../helpers/wait.ts'

// A value only a template can put into the script, so finding it anywhere means a leak.
const TOKEN = 'e2e-token-4d1b8a6f'

const PIPELINES = `
pipelines:
  outputs:
    tasks:
      write:
        script:
          - set -x
          - echo to-stdout > /dev/stdout
          - echo to-both | tee /dev/stderr
  holds-token:
    tasks:
      wait:
        script:
          - 'token={{ .token | shellquote }}; echo ready'
          - sleep 30
`

interface JobJson {
  completed: boolean
  tasks: { name: string; status: string; exitCode: number }[]
}

afterEach(async () => {
  await cleanupPrunners()
})

describe('task shells started by the real CLI', () => {
  test('output reaches the logs through /dev/stdout, tee /dev/stderr and set -x', async () => {
    const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const jobId = await schedule(prunner, 'outputs')
    const job = await waitFor(
      async () => {
        const { body } = await prunner.json<JobJson>('GET', `/job/detail?id=${jobId}`)
        return body.completed ? body : undefined
      },
      { what: 'the outputs job to complete' },
    )
    const { body: logs } = await prunner.json<{ stdout: string; stderr: string }>(
      'GET',
      `/job/logs?id=${jobId}&task=write`,
    )

    expect(job.tasks).toMatchObject([{ name: 'write', status: 'done', exitCode: 0 }])
    expect(logs.stdout).toBe('to-stdout\nto-both\n')
    // The two sides of a pipeline trace themselves in parallel, so their order varies.
    const stderr = logs.stderr.split('\n').map((line) => line.replace(/^\++ /, ''))
    expect(stderr.sort()).toEqual([
      '',
      'echo to-both',
      'echo to-stdout',
      'tee /dev/stderr',
      'to-both',
    ])
  })

  test.if(process.platform === 'linux')(
    'no process command line shows a value substituted into the script',
    async () => {
      const prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
      const jobId = await schedule(prunner, 'holds-token', { token: TOKEN })
      await waitFor(
        async () => {
          const { body } = await prunner.json<{ stdout: string }>(
            'GET',
            `/job/logs?id=${jobId}&task=wait`,
          )
          return body.stdout === 'ready\n'
        },
        { what: 'the task to be running' },
      )
      const leaks = commandLinesContaining(TOKEN)
      await prunner.request('POST', `/job/cancel?id=${jobId}`)
      // Let the task end in prunner, so it removes its scratch directory before the kill.
      await waitFor(
        async () => {
          const { body } = await prunner.json<JobJson>('GET', `/job/detail?id=${jobId}`)
          return body.tasks[0]?.status === 'canceled'
        },
        { what: 'the task to be canceled' },
      )

      expect(leaks).toEqual([])
    },
  )
})

async function schedule(
  prunner: PrunnerProcess,
  pipeline: string,
  variables?: Record<string, string>,
): Promise<string> {
  const { status, body } = await prunner.json<{ jobId: string }>('POST', '/pipelines/schedule', {
    pipeline,
    variables,
  })
  expect(status).toBe(202)
  return body.jobId
}

function commandLinesContaining(text: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue
    }

    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1')
      if (cmdline.includes(text)) {
        found.push(`${entry}: ${cmdline.replaceAll('\0', ' ')}`)
      }
    } catch {
      // The process exited between the listing and the read.
    }
  }

  return found
}
