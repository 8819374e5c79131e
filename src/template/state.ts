// Execution state shared by the evaluator and the walker: the variable stack and the node whose
// position and text an execution error reports (Go's state.at / state.errorf).

import { TEMPLATE_NAME, TemplateError } from './errors.ts'
import { type Node, nodeToString } from './nodes.ts'
import { byteLength } from './text.ts'
import type { Value } from './values.ts'

interface Variable {
  name: string
  value: Value
}

export class State {
  out = ''
  private node: Node | null = null
  private readonly vars: Variable[]

  constructor(
    private readonly text: string,
    data: Value,
  ) {
    this.vars = [{ name: '$', value: data }]
  }

  /** Records the node being evaluated; a later error is reported at it. */
  at(node: Node): void {
    this.node = node
  }

  errorf(reason: string): never {
    if (this.node === null) {
      throw new TemplateError(`template: ${TEMPLATE_NAME}: ${reason}`)
    }
    const context = nodeToString(this.node)
    const location = this.location(this.node.pos)
    throw new TemplateError(
      `template: ${TEMPLATE_NAME}:${location}: executing "${TEMPLATE_NAME}" at <${context}>: ${reason}`,
    )
  }

  mark(): number {
    return this.vars.length
  }

  pop(mark: number): void {
    this.vars.length = mark
  }

  push(name: string, value: Value): void {
    this.vars.push({ name, value })
  }

  /** Sets the n-th variable from the top (1 is the top), as range does for its variables. */
  setTopVar(n: number, value: Value): void {
    const variable = this.vars[this.vars.length - n]
    if (variable !== undefined) {
      variable.value = value
    }
  }

  setVar(name: string, value: Value): void {
    this.lookup(name).value = value
  }

  varValue(name: string): Value {
    return this.lookup(name).value
  }

  private lookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const variable = this.vars[i]
      if (variable?.name === name) {
        return variable
      }
    }
    this.errorf(`undefined variable: ${name}`)
  }

  // LINE:COL of a node: 1-based line, 0-based column counted in UTF-8 bytes as Go does.
  private location(pos: number): string {
    const before = this.text.slice(0, pos)
    const lineStart = before.lastIndexOf('\n') + 1
    let line = 1
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) {
      line++
    }
    return `${line}:${byteLength(before.slice(lineStart))}`
  }
}
