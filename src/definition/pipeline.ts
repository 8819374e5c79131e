import { isMap, type Node } from 'yaml'
import { type EnvEntry, expectMapping, readSettings, type Scope, type Settings } from './fields.ts'
import { findCycle, taskOrder } from './graph.ts'
import { checkQueueRules, normalizeRetention } from './rules.ts'
import { PipelineSchema } from './schema.ts'
import {
  checkedEnv,
  checkedShell,
  type HandlerDraft,
  readHandler,
  readTasks,
  type TaskDraft,
} from './task.ts'
import type { PipelineDefinition, QueueStrategy, TaskDefinition } from './types.ts'
import type { FileContext } from './yaml-context.ts'
import { entryValue, type Field } from './yaml-entries.ts'

/**
 * Reads and validates one entry of `pipelines:` (SPEC §4.3–§4.6). Every problem is reported on
 * `ctx`; the definition is returned only when the pipeline has no error.
 */
export function readPipeline(
  ctx: FileContext,
  field: Field,
  file: string,
): PipelineDefinition | undefined {
  const errorsBefore = countErrors(ctx)
  const name = field.key
  if (name === '') {
    ctx.error(field.keyNode, 'pipeline name must not be empty')
  }

  const scope: Scope = {
    ctx,
    prefix: `invalid pipeline definition "${name}": `,
    path: '',
    where: `pipeline "${name}"`,
  }
  const node = entryValue(field)
  const isEmpty = ctx.isNull(node)
  if (!isEmpty && !expectMapping(scope, node, '')) {
    return undefined
  }

  const settings = readSettings(scope, isMap(node) ? node : undefined, PipelineSchema)
  const tasks = readTasks(scope, settings.fields.get('tasks'))
  const onError = readHandler(scope, settings.fields.get('on_error'))
  const env = checkedEnv(scope, settings)
  const shell = checkedShell(scope, settings)
  checkQueueRules(scope, settings)
  checkTaskGraph(scope, tasks)
  const retention = normalizeRetention(scope, settings)
  if (countErrors(ctx) > errorsBefore) {
    return undefined
  }

  return {
    name,
    file,
    ...pipelineSettings(settings),
    ...retention,
    env: envRecord(env),
    ...shell,
    tasks: orderedTasks(tasks),
    ...(onError ? { onError: handlerDefinition(onError) } : {}),
  }
}

function pipelineSettings(settings: Settings) {
  const concurrency = settings.int('concurrency')?.value ?? 1
  return {
    // `0` has always meant one slot (SPEC §4.3).
    concurrency: concurrency === 0 ? 1 : concurrency,
    queueLimit: settings.int('queue_limit')?.value ?? null,
    queueStrategy: (settings.string('queue_strategy')?.value ?? 'append') as QueueStrategy,
    queuePartitionLimit: settings.int('queue_partition_limit')?.value ?? null,
    startDelayMs: settings.duration('start_delay')?.value ?? 0,
    continueRunningTasksAfterFailure:
      settings.bool('continue_running_tasks_after_failure')?.value ?? false,
  }
}

/** V9 and V10: every dependency exists, and there is no cycle. */
function checkTaskGraph(scope: Scope, tasks: TaskDraft[]): void {
  const names = new Set(tasks.map((task) => task.name))
  for (const task of tasks) {
    for (const dep of task.dependsOn) {
      if (!names.has(dep.value)) {
        const message = `missing task "${dep.value}" referenced in depends_on of task "${task.name}"`
        scope.ctx.error(dep.node, scope.prefix + message)
      }
    }
  }

  const graph = tasks.map((task) => ({
    name: task.name,
    dependsOn: task.dependsOn.map((dep) => dep.value),
  }))
  const cycle = findCycle(graph)
  if (cycle) {
    const closing = tasks.find((task) => task.name === cycle.task)
    const at: Node | undefined = closing?.dependsOn[cycle.entry]?.node ?? closing?.keyNode
    scope.ctx.error(at, `${scope.prefix}dependency cycle: ${cycle.path.join(' -> ')}`)
  }
}

function orderedTasks(tasks: TaskDraft[]): TaskDefinition[] {
  const byName = new Map(tasks.map((task) => [task.name, task]))
  const order = taskOrder(
    tasks.map((task) => ({ name: task.name, dependsOn: task.dependsOn.map((dep) => dep.value) })),
  )
  return order.flatMap((name) => {
    const task = byName.get(name)
    return task ? [taskDefinition(task)] : []
  })
}

function taskDefinition(task: TaskDraft): TaskDefinition {
  return {
    name: task.name,
    script: task.script,
    dependsOn: task.dependsOn.map((dep) => dep.value),
    allowFailure: task.allowFailure,
    env: envRecord(task.env),
    ...(task.shell === undefined ? {} : { shell: task.shell }),
  }
}

function handlerDefinition(handler: HandlerDraft) {
  return {
    script: handler.script,
    env: envRecord(handler.env),
    ...(handler.shell === undefined ? {} : { shell: handler.shell }),
  }
}

function envRecord(entries: EnvEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.name, entry.value]))
}

function countErrors(ctx: FileContext): number {
  return ctx.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length
}
