import { afterEach, describe, expect, test } from 'bun:test'
import {
  findLeftoverMembers,
  killLeftoverTaskGroups,
  type ProcStat,
  readBootId,
  readProcStat,
} from '../../src/lifecycle/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import type { TaskProcessRecord } from '../../src/store/index.ts'
import { waitFor } from '../helpers/wait.ts'

const BOOT = 'boot-a'

function stat(pid: number, pgid: number, startTicks: number, state = 'S'): ProcStat {
  return { pid, ppid: 1, pgid, startTicks, state }
}

function record(pgid: number, startTicks: number, bootId = BOOT): TaskProcessRecord {
  return { pgid, jobId: 'job', task: 'build', startTicks, bootId }
}

describe('finding leftover members', () => {
  test('names every live member of a recorded group that started at or after the shell', () => {
    const processes = [
      stat(500, 500, 1000),
      stat(501, 500, 1000),
      stat(502, 500, 1500),
      stat(503, 500, 1600, 'Z'),
      stat(600, 600, 1200),
    ]

    const victims = findLeftoverMembers({ records: [record(500, 1000)], processes, bootId: BOOT })

    expect(victims.map((victim) => victim.pid)).toEqual([500, 501, 502])
  })

  test('skips a group whose leader pid now belongs to a later process', () => {
    const processes = [stat(500, 500, 9000), stat(501, 500, 9100)]

    expect(findLeftoverMembers({ records: [record(500, 1000)], processes, bootId: BOOT })).toEqual(
      [],
    )
  })

  test('never names a process that started before the recorded shell', () => {
    const processes = [stat(501, 500, 999)]

    expect(findLeftoverMembers({ records: [record(500, 1000)], processes, bootId: BOOT })).toEqual(
      [],
    )
  })

  test('ignores records of another boot and records without a boot id', () => {
    const processes = [stat(500, 500, 1000)]

    for (const [recorded, current] of [
      ['boot-old', BOOT],
      ['', ''],
    ]) {
      const records = [record(500, 1000, recorded)]
      expect(findLeftoverMembers({ records, processes, bootId: current ?? '' })).toEqual([])
    }
  })
})

describe('killing leftover groups', () => {
  const spawned: number[] = []

  afterEach(() => {
    for (const pid of spawned.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // Already gone, which is what the test wanted.
      }
    }
  })

  test.skipIf(process.platform !== 'linux')(
    'kills a real group and its background child, spares others and clears the records',
    async () => {
      const group = Bun.spawn(['sh', '-c', 'sleep 300 & trap "" INT TERM; sleep 300'], {
        detached: true,
        stdio: ['ignore', 'ignore', 'ignore'],
      })
      const bystander = Bun.spawn(['sleep', '300'], {
        detached: true,
        stdio: ['ignore', 'ignore', 'ignore'],
      })
      spawned.push(group.pid, bystander.pid)
      const members = await waitFor(
        () => {
          const pids = groupMembers(group.pid)
          return pids.length >= 3 ? pids : undefined
        },
        { what: 'the shell and its two sleeps' },
      )
      const shellStart = readProcStat(group.pid)?.startTicks ?? -1
      let records = [record(group.pid, shellStart, readBootId())]
      const store = {
        loadTaskProcesses: () => records,
        clearTaskProcesses: () => {
          records = []
        },
      }

      const killed = killLeftoverTaskGroups({ store, logger: silentLogger() })

      expect(killed.sort()).toEqual(members.sort())
      expect(records).toEqual([])
      await group.exited
      await waitFor(() => groupMembers(group.pid).length === 0, { what: 'the group to be gone' })
      expect(readProcStat(bystander.pid)?.state).not.toBe('Z')
      expect(bystander.exitCode).toBeNull()
    },
  )
})

function groupMembers(pgid: number): number[] {
  const pids: number[] = []
  for (const entry of new Bun.Glob('[0-9]*').scanSync({ cwd: '/proc', onlyFiles: false })) {
    const proc = readProcStat(Number(entry))
    if (proc?.pgid === pgid && proc.state !== 'Z') {
      pids.push(proc.pid)
    }
  }
  return pids
}
