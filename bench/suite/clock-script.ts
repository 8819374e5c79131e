import { readFileSync } from 'node:fs'
import { waitFor } from './wait.ts'

// Tasks and baseline shells record when they ran with the same command, so the cost of running
// `date` is on both sides of every ratio. GNU date prints nanoseconds; BSD date on macOS does
// not, which is why the suite checks for it up front.
export const MARK_COMMAND = 'date +%s%N'

/** Shell code that writes the current time to `file`. */
export function markLine(file: string): string {
  return `${MARK_COMMAND} > ${file}`
}

/** Waits for `file` to hold a complete timestamp and returns it in milliseconds. */
export async function readMark(file: string, timeoutMs = 30_000): Promise<number> {
  return await waitFor(
    () => {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        return undefined // not written yet
      }
      return text.endsWith('\n') ? Number(text.trim()) / 1e6 : undefined
    },
    { what: `timestamp in ${file}`, timeoutMs, intervalMs: 1 },
  )
}

/** Fails unless `date` prints nanoseconds here. */
export async function checkClock(): Promise<void> {
  const proc = Bun.spawn(['sh', '-c', MARK_COMMAND], { stdout: 'pipe' })
  const text = (await new Response(proc.stdout).text()).trim()
  if (!/^\d{19}$/.test(text)) {
    throw new Error(`"${MARK_COMMAND}" printed "${text}": the benchmarks need GNU date`)
  }
}
