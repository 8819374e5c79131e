import { compareByteWise } from './discover.ts'

export interface GraphTask {
  name: string
  dependsOn: string[]
}

/**
 * Task order of SPEC §5.8: topological, always taking the smallest ready name (byte-wise).
 * Unknown dependencies are ignored and tasks caught in a cycle come last, by name, so the
 * function is total even for definitions that failed validation.
 */
export function taskOrder(tasks: GraphTask[]): string[] {
  const names = new Set(tasks.map((task) => task.name))
  const pending = new Map<string, number>()
  const dependents = new Map<string, string[]>()
  for (const task of tasks) {
    const deps = new Set(task.dependsOn.filter((dep) => names.has(dep)))
    pending.set(task.name, deps.size)
    for (const dep of deps) {
      dependents.set(dep, [...(dependents.get(dep) ?? []), task.name])
    }
  }

  const ready = [...pending].filter(([, count]) => count === 0).map(([name]) => name)
  const order: string[] = []
  while (ready.length > 0) {
    ready.sort(compareByteWise)
    const next = ready.shift() as string
    order.push(next)
    for (const dependent of dependents.get(next) ?? []) {
      const left = (pending.get(dependent) ?? 0) - 1
      pending.set(dependent, left)
      if (left === 0) {
        ready.push(dependent)
      }
    }
  }

  const placed = new Set(order)
  const rest = [...names].filter((name) => !placed.has(name)).sort(compareByteWise)
  return [...order, ...rest]
}

export interface Cycle {
  /** Task names from the closing task along the path back to it: `x`, `y`, `x`. */
  path: string[]
  /** The task whose `depends_on` entry closed the cycle, and that entry's index. */
  task: string
  entry: number
}

/**
 * The first dependency cycle of a depth-first search from tasks in name order, following
 * `depends_on` in listed order (SPEC §4.6 V10). Unknown dependencies are skipped.
 */
export function findCycle(tasks: GraphTask[]): Cycle | undefined {
  const byName = new Map(tasks.map((task) => [task.name, task]))
  const finished = new Set<string>()
  const path: string[] = []

  const visit = (name: string): Cycle | undefined => {
    path.push(name)
    const deps = byName.get(name)?.dependsOn ?? []
    for (const [entry, dep] of deps.entries()) {
      const onPath = path.indexOf(dep)
      if (onPath !== -1) {
        return { path: [...path.slice(onPath), dep], task: name, entry }
      }

      if (byName.has(dep) && !finished.has(dep)) {
        const cycle = visit(dep)
        if (cycle) {
          return cycle
        }
      }
    }

    path.pop()
    finished.add(name)
    return undefined
  }

  for (const name of [...byName.keys()].sort(compareByteWise)) {
    const cycle = finished.has(name) ? undefined : visit(name)
    if (cycle) {
      return cycle
    }
  }

  return undefined
}
