import { describe, expect, test } from 'bun:test'
import { startDelayTimer } from '../../src/scheduler/delay-timer.ts'
import { waitFor } from '../helpers/wait.ts'

describe('delay timer', () => {
  test('fires once the due time has passed, never synchronously', async () => {
    let fired = 0
    startDelayTimer({ dueAt: Date.now() - 10, now: Date.now, onDue: () => fired++ })
    expect(fired).toBe(0)
    await waitFor(() => fired === 1)
  })

  test('does not fire at once for delays beyond the 24.8-day setTimeout limit', async () => {
    let fired = false
    const timer = startDelayTimer({
      dueAt: Date.now() + 720 * 3600 * 1000,
      now: Date.now,
      onDue: () => {
        fired = true
      },
    })
    await Bun.sleep(50)
    expect(fired).toBe(false)
    timer.clear()
  })

  test('re-arms when woken before the due time', async () => {
    let clock = 0
    let fired = false
    startDelayTimer({
      dueAt: 5,
      now: () => clock,
      onDue: () => {
        fired = true
      },
    })
    await Bun.sleep(20)
    expect(fired).toBe(false)
    clock = 5
    await waitFor(() => fired)
  })
})
