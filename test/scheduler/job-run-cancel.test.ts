import { afterEach, describe, expect, test } from 'bun:test'
import { isGroupAlive } from '../../src/executor/process-group.ts'
import { type HarnessOptions, SchedulerHarness, waitLine } from './job-run-harness.ts'

const harnesses: SchedulerHarness[] = []

function harness(yaml: string, options?: HarnessOptions): SchedulerHarness {
  const created = new SchedulerHarness(yaml, options)
  harnesses.push(created)
  return created
}

afterEach(async () => {
  for (const created of harnesses.splice(0)) {
    await created.cleanup()
  }
})

const CHAIN = `
pipelines:
  p:
    tasks:
      first:
        script: ['trap "sleep 0.2; exit 0" INT; sleep 30 & wait; sleep 0.2']
      second:
        depends_on: [first]
        script: [touch second_ran]
    on_error:
      script: [touch handler_ran]
`

describe('cancel of a running job (SPEC §5.7, §7)', () => {
  test('marks the job canceled at once, then completes it when the processes are gone', async () => {
    const h = harness(CHAIN)
    const id = await h.schedule()
    await h.waitForStatus(id, 'first', 'running')
    await h.scheduler.cancel(id)

    // Processes are still stopping: the trap takes 0.2 s before the shell exits.
    expect(h.committed.get(id)).toMatchObject({
      completed: false,
      canceled: true,
      end: null,
      lastError: 'job canceled',
    })
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: true, lastError: 'job canceled' })
    expect(job.end).not.toBeNull()
    expect(h.task(id, 'first')).toMatchObject({ status: 'canceled', exitCode: -1, errored: false })
    expect(h.task(id, 'first').end).not.toBeNull()
    expect(h.task(id, 'second')).toMatchObject({
      status: 'canceled',
      exitCode: 0,
      start: null,
      end: null,
    })
    expect(h.hasFile('second_ran')).toBe(false)
    expect(h.taskNames(id)).not.toContain('on_error')
    expect(isGroupAlive(h.pids.get(`${id}/first`) as number)).toBe(false)
  })

  test('right after one task finished and the next one started is a cancel like any other', async () => {
    let isCanceled = false
    const h = harness(
      `
pipelines:
  p:
    tasks:
      first:
        script: [echo first]
      second:
        depends_on: [first]
        script: ['sleep 0.3', touch second_ran]
`,
      {
        onJobChanged: (job, scheduler) => {
          const first = job.tasks.find((task) => task.name === 'first')
          if (!isCanceled && first?.status === 'done') {
            isCanceled = true
            void scheduler.cancel(job.id)
          }
        },
      },
    )
    const id = await h.schedule()
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: true, lastError: 'job canceled' })
    expect(h.task(id, 'first').status).toBe('done')
    // The cancel arrives with the commit of the second task's start, which comes before its
    // spawn: the task ends canceled without having run (SPEC §7.1, "not started").
    expect(h.task(id, 'second')).toMatchObject({ status: 'canceled', exitCode: 0, start: null })
    await Bun.sleep(400)
    expect(h.hasFile('second_ran')).toBe(false)
  })

  test('after a failure keeps that failure as lastError and never runs on_error', async () => {
    const h = harness(`
pipelines:
  p:
    continue_running_tasks_after_failure: true
    tasks:
      fail:
        script: [exit 9]
      other:
        script: ['${waitLine()}']
    on_error:
      script: [touch handler_ran]
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'fail', 'error')
    await h.scheduler.cancel(id)
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: true, lastError: 'exit status 9' })
    expect(h.task(id, 'other')).toMatchObject({ status: 'canceled', exitCode: -1 })
    expect(h.taskNames(id)).toEqual(['fail', 'other'])
    expect(h.hasFile('handler_ran')).toBe(false)
  })

  test('during on_error stops the handler and ends it canceled', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      fail:
        script: [exit 1]
    on_error:
      script: ['${waitLine()}', touch handler_went_on]
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'on_error', 'running')
    await h.scheduler.cancel(id)
    const job = await h.waitForCompletion(id)

    expect(job).toMatchObject({ completed: true, canceled: true, lastError: 'exit status 1' })
    expect(h.task(id, 'on_error')).toMatchObject({ status: 'canceled', exitCode: -1 })
    h.release()
    await Bun.sleep(100)
    expect(h.hasFile('handler_went_on')).toBe(false)
  })

  test('a second cancel changes nothing and a finished job cannot be canceled', async () => {
    const h = harness(CHAIN)
    const id = await h.schedule()
    await h.waitForStatus(id, 'first', 'running')
    await h.scheduler.cancel(id)
    await h.scheduler.cancel(id)
    await h.waitForCompletion(id)

    expect(h.job(id).lastError).toBe('job canceled')
    const ok = harness('pipelines:\n  p:\n    tasks:\n      t:\n        script: [true]\n')
    const okId = await ok.schedule()
    await ok.waitForCompletion(okId)
    await expect(ok.scheduler.cancel(okId)).rejects.toMatchObject({ code: 'CANCEL_FAILED' })
  })
})

describe('shutdown (SPEC §5.9, §10)', () => {
  test('a forced shutdown cancels running jobs with its own reason', async () => {
    const h = harness(CHAIN)
    const id = await h.schedule()
    await h.waitForStatus(id, 'first', 'running')
    await h.scheduler.shutdown('forced')

    expect(h.job(id)).toMatchObject({
      completed: true,
      canceled: true,
      lastError: 'job canceled: prunner is shutting down',
    })
    expect(h.hasFile('handler_ran')).toBe(false)
  })

  test('a forced shutdown after a failure keeps the failure and skips on_error', async () => {
    const h = harness(`
pipelines:
  p:
    continue_running_tasks_after_failure: true
    tasks:
      fail:
        script: [exit 3]
      other:
        script: ['${waitLine()}']
    on_error:
      script: [touch handler_ran]
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'fail', 'error')
    await h.scheduler.shutdown('forced')

    expect(h.job(id)).toMatchObject({ canceled: true, lastError: 'exit status 3' })
    expect(h.taskNames(id)).toEqual(['fail', 'other'])
    expect(h.hasFile('handler_ran')).toBe(false)
  })

  test('a graceful shutdown lets a failed job run on_error before it resolves', async () => {
    const h = harness(`
pipelines:
  p:
    tasks:
      fail:
        script: ['${waitLine()}', exit 3]
    on_error:
      script: [touch handler_ran]
`)
    const id = await h.schedule()
    await h.waitForStatus(id, 'fail', 'running')
    const stopped = h.scheduler.shutdown('graceful')
    h.release()
    await stopped

    expect(h.job(id)).toMatchObject({
      completed: true,
      canceled: false,
      lastError: 'exit status 3',
    })
    expect(h.task(id, 'on_error').status).toBe('done')
    expect(h.hasFile('handler_ran')).toBe(true)
  })
})
