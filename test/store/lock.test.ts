import { afterEach, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { silentLogger } from '../../src/log/index.ts'
import { PrunnerError } from '../../src/shared/errors.ts'
import { openStore } from '../../src/store/index.ts'
import { makeTempDir } from './store-helpers.ts'

const HOLDER = join(import.meta.dir, 'fixtures', 'hold-store.ts')
const STARTUP_DEADLINE_MS = 15_000

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    cleanup()
  }
})

function tempDir(): string {
  const temp = makeTempDir()
  cleanups.push(temp.remove)
  return temp.dir
}

/** Starts the holder fixture and resolves once it reports that it holds the lock. */
async function startHolder(args: string[]): Promise<Subprocess<'ignore', 'pipe', 'pipe'>> {
  const holder = Bun.spawn([process.execPath, HOLDER, ...args], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  cleanups.push(() => {
    if (holder.exitCode === null && holder.signalCode === null) {
      process.kill(holder.pid, 'SIGKILL')
    }
  })

  const output = await readUntil(holder.stdout, 'held\n', STARTUP_DEADLINE_MS)
  if (!output.includes('held\n')) {
    holder.kill('SIGKILL')
    throw new Error(`holder did not take the lock: ${await new Response(holder.stderr).text()}`)
  }

  return holder
}

async function readUntil(
  stream: ReadableStream<Uint8Array>,
  marker: string,
  deadlineMs: number,
): Promise<string> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  const expired = Bun.sleep(deadlineMs).then(() => 'expired' as const)
  let text = ''
  try {
    while (!text.includes(marker)) {
      const chunk = await Promise.race([reader.read(), expired])
      if (chunk === 'expired' || chunk.done) {
        break
      }

      text += decoder.decode(chunk.value, { stream: true })
    }
  } finally {
    reader.releaseLock()
  }

  return text
}

function openError(dataDir: string, lockTimeoutMs: number): PrunnerError | undefined {
  try {
    openStore({ dataDir, logger: silentLogger(), lockTimeoutMs }).close()
  } catch (error) {
    if (error instanceof PrunnerError) {
      return error
    }

    throw error
  }

  return undefined
}

test('refuses a data directory held by another process after waiting for the lock', async () => {
  const dir = tempDir()
  await startHolder([dir, 'forever'])

  const startedAt = performance.now()
  const error = openError(dir, 300)
  const waitedMs = performance.now() - startedAt

  expect(error?.code).toBe('DATABASE')
  expect(error?.message).toBe(`data directory ${dir} is in use by another prunner process`)
  // It must wait for the holder instead of failing at once (generous margin below 300 ms).
  expect(waitedMs).toBeGreaterThanOrEqual(200)
  expect(readdirSync(dir).some((name) => name.includes('corrupt'))).toBe(false)
})

test('opens once the other process lets go within the timeout', async () => {
  const dir = tempDir()
  const jobId = crypto.randomUUID()
  await startHolder([dir, '300', jobId])

  const store = openStore({ dataDir: dir, logger: silentLogger(), lockTimeoutMs: 10_000 })
  cleanups.push(() => store.close())

  expect(store.loadJobs().map((job) => job.id)).toEqual([jobId])
})

test('keeps a committed job when the process holding the database is killed', async () => {
  const dir = tempDir()
  const jobId = crypto.randomUUID()
  const holder = await startHolder([dir, 'forever', jobId])

  holder.kill('SIGKILL')
  await holder.exited

  const store = openStore({ dataDir: dir, logger: silentLogger(), lockTimeoutMs: 10_000 })
  cleanups.push(() => store.close())
  expect(store.isNew).toBe(false)
  expect(store.loadJobs().map((job) => job.id)).toEqual([jobId])
})
