/** setTimeout's limit: longer delays fire at once, so they are chained (SPEC §5.4). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

export interface DelayTimer {
  clear(): void
}

/** Calls `onDue` once `now() >= dueAt`, also for delays beyond setTimeout's 24.8-day limit. */
export function startDelayTimer(options: {
  dueAt: number
  now: () => number
  onDue: () => void
}): DelayTimer {
  let handle: ReturnType<typeof setTimeout> | undefined
  // onDue always runs from a timer callback, never synchronously inside startDelayTimer.
  const arm = (): void => {
    const remaining = Math.max(0, options.dueAt - options.now())
    handle = setTimeout(fire, Math.min(remaining, MAX_TIMEOUT_MS))
  }
  const fire = (): void => {
    if (options.now() < options.dueAt) {
      arm()
      return
    }

    handle = undefined
    options.onDue()
  }
  arm()
  return {
    clear: () => {
      if (handle !== undefined) {
        clearTimeout(handle)
        handle = undefined
      }
    },
  }
}
