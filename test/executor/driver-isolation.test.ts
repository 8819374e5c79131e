import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { realpathSync } from 'node:fs'
import { SHELLS, TaskSandbox } from './support.ts'

/** Shells whose xtrace output can be kept free of the driver's steps, where installed. */
const TRACING_SHELLS = [...SHELLS, ...installed(['/usr/bin/zsh', '/bin/zsh'])]
/** mksh traces to the stderr it started with, so only the other guarantees hold there. */
const ALL_SHELLS = [...TRACING_SHELLS, ...installed(['/usr/bin/mksh', '/bin/mksh'])]

let sandbox: TaskSandbox

beforeEach(() => {
  sandbox = new TaskSandbox()
})

afterEach(async () => {
  await sandbox.cleanup()
})

describe.each(TRACING_SHELLS)('xtrace under %s', (shell) => {
  test('set -x traces only the commands of the script lines', async () => {
    const lines = ['set -x', 'echo one', 'cd / && pwd', 'x=1', 'false']
    const outcome = await sandbox.run(lines, { shell, allowFailure: true })

    expect(outcome).toEqual({ status: 'done', exitCode: 1 })
    expect(tracedCommands(sandbox.stderr())).toEqual(['echo one', 'cd /', 'pwd', 'x=1', 'false'])
  })

  test('set +x in a line stops the tracing for the lines after it', async () => {
    const outcome = await sandbox.run(['set -x', 'echo a', 'set +x', 'echo b', 'exit 0'], {
      shell,
    })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(tracedCommands(sandbox.stderr())).toEqual(['echo a', 'set +x'])
    expect(sandbox.stdout()).toBe('a\nb\n')
  })
})

describe.each(ALL_SHELLS)('the driver stays out of the script under %s', (shell) => {
  test('a function named cd does not stop the working directory reset', async () => {
    // The real cd leaves the directory, then the function replaces it for every later call.
    const lines = ['cd / && cd() { echo "function cd $*"; }', 'pwd']
    const outcome = await sandbox.run(lines, { shell })

    expect(outcome).toEqual({ status: 'done', exitCode: 0 })
    expect(sandbox.stdout()).toBe(`${realpathSync(sandbox.dir)}\n`)
  })

  test('set -u in a line does not trip over the driver', async () => {
    const outcome = await sandbox.run(['set -u', 'echo still running', '(exit 4)'], { shell })

    expect(outcome).toEqual({ status: 'error', exitCode: 4, error: 'exit status 4' })
    expect(sandbox.stdout()).toBe('still running\n')
    expect(sandbox.stderr()).toBe('')
  })
})

describe('the driver under bash', () => {
  // dash refuses functions named after special builtins; bash lets them shadow the builtins.
  test('functions named eval, set, exit, trap or kill do not replace the builtins', async () => {
    const lines = ['eval() { echo hijacked; }', 'set() { echo hijacked; }']
    lines.push(
      'exit() { echo hijacked; }',
      'trap() { echo hijacked; }',
      'kill() { echo hijacked; }',
    )
    const outcome = await sandbox.run([...lines, 'echo real', 'false', 'echo never'])

    expect(outcome).toEqual({ status: 'error', exitCode: 1, error: 'exit status 1' })
    expect(sandbox.stdout()).toBe('real\n')
  })
})

/**
 * The commands of an xtrace log without their prefix: `+ `, `++ ` (bash adds a `+` per eval
 * level) or zsh's `+(eval):1> `; zsh also ends some traced lines with a space.
 */
function tracedCommands(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\+\S* /, '').trimEnd())
}

function installed(paths: string[]): string[] {
  const found = paths.find((path) => Bun.file(path).size > 0)
  return found === undefined ? [] : [found]
}
