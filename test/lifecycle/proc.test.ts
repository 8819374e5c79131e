import { expect, test } from 'bun:test'
import {
  listProcesses,
  parseProcStat,
  readBootId,
  readProcStat,
} from '../../src/lifecycle/index.ts'

const isLinux = process.platform === 'linux'

test('parses a stat line whose command name holds spaces and parentheses', () => {
  const fields = Array.from({ length: 40 }, (_, index) => String(index + 100))
  fields[0] = 'Z' // field 3
  fields[1] = '1' // ppid
  fields[2] = '4242' // pgid
  fields[19] = '987654' // field 22: start time
  const line = `4243 (a (b) c) ${fields.join(' ')}\n`

  expect(parseProcStat(line)).toEqual({
    pid: 4243,
    state: 'Z',
    ppid: 1,
    pgid: 4242,
    startTicks: 987654,
  })
})

test('rejects a stat line that is cut short', () => {
  expect(parseProcStat('12 (sh) S 1 12')).toBeUndefined()
})

test.skipIf(!isLinux)('reads this process and its parent from /proc', () => {
  const self = readProcStat(process.pid)

  expect(self?.pid).toBe(process.pid)
  expect(self?.ppid).toBe(process.ppid)
  expect(self?.startTicks).toBeGreaterThan(0)
  expect(listProcesses().some((stat) => stat.pid === process.pid)).toBe(true)
  expect(readBootId()).toMatch(/^[0-9a-f-]{36}$/)
})

test('returns nothing for a process that does not exist', () => {
  expect(readProcStat(2 ** 22 + 12345)).toBeUndefined()
})
