import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeJob, makeTask, req, setup } from './helpers.ts'

const ID = '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11'
const FILE_MB = 64
const CONCURRENT = 5

let dir = ''
let path = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prunner-logs-memory-'))
  path = join(dir, 'big.log')
  const handle = await open(path, 'w')
  const block = Buffer.alloc(1024 * 1024, 'log line with € and "quotes"\n')
  for (let i = 0; i < FILE_MB; i += 1) {
    await handle.write(block)
  }
  await handle.close()
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function drain(body: ReadableStream<Uint8Array>, onChunk: () => void): Promise<number> {
  const reader = body.getReader()
  let bytes = 0
  for (let result = await reader.read(); !result.done; result = await reader.read()) {
    bytes += result.value.byteLength
    onChunk()
  }
  return bytes
}

test('streams concurrent large log responses with bounded memory', async () => {
  const { app, scheduler } = setup()
  scheduler.jobs = [makeJob({ tasks: [makeTask({ name: 'build' })] })]
  scheduler.files.set(`${ID}/build`, { stdout: path, stderr: path })
  Bun.gc(true)
  const baseline = process.memoryUsage().rss
  let peak = baseline
  let chunks = 0
  const sample = () => {
    chunks += 1
    if (chunks % 32 === 0) {
      peak = Math.max(peak, process.memoryUsage().rss)
    }
  }

  const sizes = await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      const response = await req(app, `/job/logs?id=${ID}&task=build`)
      return drain(response.body as ReadableStream<Uint8Array>, sample)
    }),
  )

  // Each response holds both files (the same 64 MiB file twice), so 640 MiB went through in all.
  for (const size of sizes) {
    expect(size).toBeGreaterThan(2 * FILE_MB * 1024 * 1024)
  }
  expect(peak - baseline).toBeLessThan(128 * 1024 * 1024)
}, 60_000)
