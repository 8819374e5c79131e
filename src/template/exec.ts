// Walks a parsed template over the data and writes the output: the control-flow half of Go's
// text/template/exec.go (actions, if, with, range, variable scopes).

import { evalPipeline } from './eval.ts'
import { sprint } from './format.ts'
import type { ActionNode, IfNode, ListNode, Node, RangeNode, WithNode } from './nodes.ts'
import { State } from './state.ts'
import {
  GoInt,
  type GoMap,
  Iface,
  INVALID,
  indirectInterface,
  isTrue,
  kindOf,
  sortedKeys,
  type Value,
} from './values.ts'

/** Runs a parsed template over `data` (the root `.` and `$`); throws TemplateError. */
export function executeTemplate(root: ListNode, text: string, data: GoMap): string {
  const s = new State(text, data)
  walk(s, data, root)
  return s.out
}

function walk(s: State, dot: Value, node: Node): void {
  s.at(node)
  switch (node.kind) {
    case 'action':
      walkAction(s, dot, node)
      return
    case 'if':
    case 'with':
      walkIfOrWith(s, dot, node)
      return
    case 'list':
      for (const child of node.nodes) {
        walk(s, dot, child)
      }
      return
    case 'range':
      walkRange(s, dot, node)
      return
    case 'text':
      s.out += node.text
      return
    default:
      s.errorf(`unknown node: ${node.kind}`)
  }
}

// Variables an action declares live until the end of the enclosing block, so none are popped.
function walkAction(s: State, dot: Value, node: ActionNode): void {
  const value = evalPipeline(s, dot, node.pipe)
  if (node.pipe.decl.length === 0) {
    s.at(node)
    s.out += value === INVALID ? '<no value>' : sprint([value])
  }
}

function walkIfOrWith(s: State, dot: Value, node: IfNode | WithNode): void {
  const mark = s.mark()
  const value = evalPipeline(s, dot, node.pipe)
  if (isTrue(indirectInterface(value))) {
    walk(s, node.kind === 'with' ? value : dot, node.list)
  } else if (node.elseList !== null) {
    walk(s, dot, node.elseList)
  }
  s.pop(mark)
}

function walkRange(s: State, dot: Value, node: RangeNode): void {
  s.at(node)
  const outer = s.mark()
  const value = evalPipeline(s, dot, node.pipe)
  // Variables the body declares are dropped after each iteration.
  const mark = s.mark()
  const iterate = (index: Value, element: Value): void => {
    if (node.pipe.decl.length > 0) {
      s.setTopVar(1, element)
    }
    if (node.pipe.decl.length > 1) {
      s.setTopVar(2, index)
    }
    walk(s, element, node.list)
    s.pop(mark)
  }

  const iterated = iterateValue(s, value, iterate)
  if (!iterated && node.elseList !== null) {
    walk(s, dot, node.elseList)
  }
  s.pop(outer)
}

// Calls `iterate` per element of an array or object (keys in Go's order); false when empty.
function iterateValue(
  s: State,
  value: Value,
  iterate: (index: Value, element: Value) => void,
): boolean {
  switch (kindOf(value)) {
    case 'slice': {
      const list = value as unknown[]
      list.forEach((element, i) => {
        iterate(new GoInt(BigInt(i)), new Iface(element))
      })
      return list.length > 0
    }
    case 'map': {
      const map = value as GoMap
      const keys = sortedKeys(map)
      for (const key of keys) {
        iterate(key, new Iface(map[key]))
      }
      return keys.length > 0
    }
    case 'invalid':
      return false
    default:
      return s.errorf(`range can't iterate over ${sprint([value], { goFloats: true })}`)
  }
}
