import { isMap, type Node } from 'yaml'
import {
  type EnvEntry,
  expectMapping,
  type Located,
  readSettings,
  type Scope,
  type Settings,
} from './fields.ts'
import { HandlerSchema, TaskSchema } from './schema.ts'
import type { FileContext } from './yaml-context.ts'
import { combineLayers, entryValue, type Field, settingValue } from './yaml-entries.ts'

/** A task as read, with the nodes that later checks point at. */
export interface TaskDraft {
  name: string
  keyNode: Node
  script: string[]
  dependsOn: Located<string>[]
  allowFailure: boolean
  env: EnvEntry[]
  shell?: string
}

export interface HandlerDraft {
  script: string[]
  env: EnvEntry[]
  shell?: string
}

const HANDLER_IGNORED_KEYS = new Set(['depends_on', 'allow_failure'])

/** Reads the `tasks` mapping of a pipeline; merged and explicit task maps are combined. */
export function readTasks(scope: Scope, field: Field | undefined): TaskDraft[] {
  if (field === undefined) {
    return []
  }

  const entries = combineLayers(scope.ctx, field, (node) => {
    expectMapping(scope, node, 'tasks')
  })
  const tasks: TaskDraft[] = []
  for (const [name, entry] of entries) {
    const task = readTask(scope, name, entry)
    if (task) {
      tasks.push(task)
    }
  }

  return tasks
}

/** Reads `on_error`; `depends_on` and `allow_failure` there only warn (SPEC §4.4). */
export function readHandler(scope: Scope, field: Field | undefined): HandlerDraft | undefined {
  const node = settingValue(scope.ctx, field)
  if (node === undefined || !expectMapping(scope, node, 'on_error')) {
    return undefined
  }

  const handlerScope = { ...scope, path: 'on_error.', where: `on_error of ${scope.where}` }
  const settings = readSettings(handlerScope, node, HandlerSchema, (unknown) => {
    if (!HANDLER_IGNORED_KEYS.has(unknown.key)) {
      return false
    }

    scope.ctx.warning(unknown.keyNode, `"${unknown.key}" has no effect in on_error`)
    return true
  })
  return {
    script: scriptOf(settings),
    env: checkedEnv(handlerScope, settings),
    ...checkedShell(handlerScope, settings),
  }
}

function readTask(scope: Scope, name: string, entry: Field): TaskDraft | undefined {
  checkTaskName(scope, name, entry.keyNode)
  const node = entryValue(entry)
  const isEmpty = scope.ctx.isNull(node)
  if (!isEmpty && !expectMapping(scope, node, `tasks.${name}`)) {
    return undefined
  }

  const taskScope = {
    ...scope,
    path: `tasks.${name}.`,
    where: `task "${name}" of ${scope.where}`,
  }
  const settings = readSettings(taskScope, isMap(node) ? node : undefined, TaskSchema)
  return {
    name,
    keyNode: entry.keyNode,
    script: scriptOf(settings),
    dependsOn: settings.list('depends_on')?.value ?? [],
    allowFailure: settings.bool('allow_failure')?.value ?? false,
    env: checkedEnv(taskScope, settings),
    ...checkedShell(taskScope, settings),
  }
}

/**
 * Log files are named `<task>-stdout.log` and `<task>-stderr.log`; with that 11-byte suffix a name
 * of more bytes than this would exceed the 255-byte file name limit (NAME_MAX) of common systems.
 */
const TASK_NAME_MAX_BYTES = 244

/** V11, V12: task names become file and URL path parts, and `on_error` names the handler. */
function checkTaskName(scope: Scope, name: string, keyNode: Node): void {
  if (!isUsableTaskName(name)) {
    const rule = `must not be empty, "." or "..", or contain "/", "\\" or a NUL byte, and must be at most ${TASK_NAME_MAX_BYTES} bytes`
    scope.ctx.error(keyNode, `${scope.prefix}invalid task name "${name}": ${rule}`)
  }

  if (name === 'on_error') {
    scope.ctx.error(keyNode, `${scope.prefix}task name "on_error" is reserved`)
  }
}

function isUsableTaskName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !/[/\\]/.test(name) &&
    !name.includes('\0') &&
    Buffer.byteLength(name) <= TASK_NAME_MAX_BYTES
  )
}

function scriptOf(settings: Settings): string[] {
  return (settings.list('script')?.value ?? []).map((line) => line.value)
}

/** V14 for any env mapping: names a process environment cannot hold. */
export function checkedEnv(scope: Scope, settings: Settings): EnvEntry[] {
  const entries = settings.map('env')?.value ?? []
  for (const entry of entries) {
    if (entry.name === '' || entry.name.includes('=') || entry.name.includes('\0')) {
      scope.ctx.error(entry.keyNode, `${scope.prefix}invalid env variable name "${entry.name}"`)
    }
  }

  return entries
}

/** V13 for any `shell` key; remembers the shell for validate's PATH check. */
export function checkedShell(scope: Scope, settings: Settings): { shell?: string } {
  const shell = settings.string('shell')
  if (shell === undefined) {
    return {}
  }

  if (shell.value === '') {
    scope.ctx.error(shell.node, `${scope.prefix}shell must not be empty`)
    return {}
  }

  recordShell(scope.ctx, shell)
  return { shell: shell.value }
}

function recordShell(ctx: FileContext, shell: Located<string>): void {
  if (shell.node) {
    ctx.shells.push({ shell: shell.value, node: shell.node })
  }
}
