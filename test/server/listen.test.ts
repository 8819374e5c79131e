import { describe, expect, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Logger } from '../../src/log/index.ts'
import { listen } from '../../src/server/index.ts'
import { splitAddress } from '../../src/server/listen.ts'
import { PrunnerError } from '../../src/shared/errors.ts'
import { makeJob, makeTask, setup, validToken } from './helpers.ts'

const ID = '0b6f2c6e-0d7e-4c59-9a55-2f4f3d0d7a11'

describe('listen', () => {
  test('binds 127.0.0.1 on a free port, answers over HTTP and logs the real address', async () => {
    const { app, records } = setup()
    const server = await listen({ app, address: '127.0.0.1:0', logger: captureLogger(records) })
    try {
      expect(server.hostname).toBe('127.0.0.1')
      expect(server.port).toBeGreaterThan(0)
      const listening = records.find((record) => record.msg === 'http api listening')
      expect(listening?.fields.address).toBe(`127.0.0.1:${server.port}`)

      const response = await fetch(`http://127.0.0.1:${server.port}/pipelines`, {
        headers: { Authorization: `Bearer ${validToken()}` },
      })
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('{"pipelines":[]}\n')
      const logged = records.find((record) => record.msg === 'http request')
      expect(String(logged?.fields.remoteAddr)).toStartWith('127.0.0.1:')
    } finally {
      await server.stop(true)
    }
  })

  test('fails with a LISTEN error naming the address when the port is taken', async () => {
    const { app, records } = setup()
    const first = await listen({ app, address: '127.0.0.1:0', logger: captureLogger(records) })
    try {
      const address = `127.0.0.1:${first.port}`
      const attempt = listen({ app, address, logger: captureLogger(records) })
      await expect(attempt).rejects.toBeInstanceOf(PrunnerError)
      await expect(attempt).rejects.toMatchObject({ code: 'LISTEN' })
      await expect(attempt).rejects.toThrow(`listening on ${address}: `)
    } finally {
      await first.stop(true)
    }
  })

  test('rejects addresses without a valid port', async () => {
    const { app, records } = setup()
    for (const address of ['localhost', '127.0.0.1:http', '127.0.0.1:70000', '::1:80']) {
      await expect(listen({ app, address, logger: captureLogger(records) })).rejects.toThrow(
        `listening on ${address}: `,
      )
    }
  })
})

describe('listen and stop', () => {
  test('resolves a host name to its IPv4 address', async () => {
    const { app, records } = setup()
    const server = await listen({ app, address: 'localhost:0', logger: captureLogger(records) })
    try {
      expect(server.hostname).toBe('127.0.0.1')
    } finally {
      await server.stop(true)
    }
  })

  test('lets an in-flight streamed response finish when stopping gracefully', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prunner-listen-'))
    const path = join(dir, 'task.log')
    await writeFile(path, 'y'.repeat(8 * 1024 * 1024))
    const { app, records, scheduler } = setup()
    scheduler.jobs = [makeJob({ tasks: [makeTask({ name: 'build' })] })]
    scheduler.files.set(`${ID}/build`, { stdout: path, stderr: path })
    const server = await listen({ app, address: '127.0.0.1:0', logger: captureLogger(records) })
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/job/logs?id=${ID}&task=build`, {
        headers: { Authorization: `Bearer ${validToken()}` },
      })
      const stopped = server.stop(false)
      const body = JSON.parse(await response.text())
      await stopped
      expect(body.stdout.length).toBe(8 * 1024 * 1024)
      expect(body.stderr.length).toBe(8 * 1024 * 1024)
    } finally {
      await server.stop(true)
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('splitAddress', () => {
  test('reads host:port, :port and bracketed IPv6 hosts', () => {
    expect(splitAddress('localhost:9009')).toEqual({ host: 'localhost', port: 9009 })
    expect(splitAddress(':9009')).toEqual({ host: '', port: 9009 })
    expect(splitAddress('[::1]:0')).toEqual({ host: '::1', port: 0 })
  })
})

function captureLogger(records: ReturnType<typeof setup>['records']) {
  return new Logger({ sink: (record) => records.push(record) })
}
