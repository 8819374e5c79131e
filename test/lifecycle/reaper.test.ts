import { expect, test } from 'bun:test'
import { readProcStat, startZombieReaper } from '../../src/lifecycle/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { waitFor } from '../helpers/wait.ts'

const isLinux = process.platform === 'linux'

// The reaper makes this test process a child subreaper while it runs, so an orphaned
// grandchild becomes our child and, once it exits, our zombie; stop() undoes that.
test.skipIf(!isLinux)(
  'reaps an orphaned grandchild once it exits and leaves task shells to Bun',
  async () => {
    const shells = new Set<number>()
    const reaper = await startZombieReaper({
      logger: silentLogger(),
      isTaskShell: (pid) => shells.has(pid),
    })
    expect(reaper).toBeDefined()
    try {
      const parent = Bun.spawn(['sh', '-c', 'sleep 0.5 & echo $!'], { stdout: 'pipe' })
      shells.add(parent.pid)
      const orphan = Number((await new Response(parent.stdout).text()).trim())
      expect(await parent.exited).toBe(0)

      // Re-parented to us (not to init), so nobody but the reaper can collect it.
      await waitFor(() => readProcStat(orphan)?.ppid === process.pid, { what: 'the re-parenting' })
      await waitFor(() => readProcStat(orphan) === undefined, {
        what: 'the orphan to be reaped',
        timeoutMs: 5_000,
      })

      const shell = Bun.spawn(['sh', '-c', 'exit 7'])
      shells.add(shell.pid)
      expect(await shell.exited).toBe(7)
    } finally {
      reaper?.stop()
    }
  },
)
