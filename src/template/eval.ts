// Evaluation of pipelines, commands, fields and function calls: a port of the evaluation half of
// Go's text/template/exec.go. The order of `state.at` calls matters: it decides which node an
// error message names.

import { CallError } from './compare.ts'
import { BUILTINS, type Builtin, type ParamType } from './funcs.ts'
import {
  type ArgNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type Node,
  type NumberNode,
  nodeToString,
  type PipeNode,
  type VariableNode,
} from './nodes.ts'
import { quoteGo } from './quote.ts'
import type { State } from './state.ts'
import {
  GoInt,
  Iface,
  INVALID,
  indirectInterface,
  isGoMap,
  isTrue,
  toInterface,
  typeName,
  type Value,
} from './values.ts'

/** Marks "no value piped in from a previous command" (Go's missingVal). */
const MISSING = Symbol('missing')
type Final = Value | typeof MISSING

/** Evaluates a pipeline, declaring or assigning its variables; Go's evalPipeline. */
export function evalPipeline(s: State, dot: Value, pipe: PipeNode): Value {
  s.at(pipe)
  let value: Final = MISSING
  for (const cmd of pipe.cmds) {
    // Each command's result is the last argument of the next one; an interface is unwrapped.
    value = indirectInterface(evalCommand(s, dot, cmd, value))
  }
  for (const variable of pipe.decl) {
    const name = variable.ident[0] ?? ''
    if (pipe.isAssign) {
      s.setVar(name, value)
    } else {
      s.push(name, value)
    }
  }
  return value
}

function evalCommand(s: State, dot: Value, cmd: CommandNode, final: Final): Value {
  const first = cmd.args[0]
  if (first === undefined) {
    s.errorf('empty command')
  }
  switch (first.kind) {
    case 'field':
      return evalFieldNode(s, dot, first, cmd.args, final)
    case 'chain':
      return evalChainNode(s, dot, first, cmd.args, final)
    case 'identifier':
      return evalFunction(s, dot, first, cmd, cmd.args, final)
    case 'pipe':
      notAFunction(s, cmd.args, final)
      return evalPipeline(s, dot, first)
    case 'variable':
      return evalVariableNode(s, dot, first, cmd.args, final)
    default:
      s.at(first)
      notAFunction(s, cmd.args, final)
      return evalLiteralCommand(s, dot, first)
  }
}

function evalLiteralCommand(s: State, dot: Value, word: ArgNode): Value {
  switch (word.kind) {
    case 'bool':
      return word.value
    case 'dot':
      return dot
    case 'nil':
      return s.errorf('nil is not a command')
    case 'number':
      return idealConstant(s, word)
    case 'string':
      return word.text
    default:
      return s.errorf(`can't evaluate command ${quoteGo(nodeToString(word))}`)
  }
}

function notAFunction(s: State, args: readonly ArgNode[], final: Final): void {
  if (args.length > 1 || final !== MISSING) {
    s.errorf(
      `can't give argument to non-function ${nodeToString(args[0] ?? { kind: 'nil', pos: 0 })}`,
    )
  }
}

// A number constant gets its Go type from its spelling: 1 is an int, 1.0 and 1e3 are float64.
function idealConstant(s: State, n: NumberNode): Value {
  s.at(n)
  const text = n.text
  const isHexInt = /^0[xX]/.test(text) && !/[pP]/.test(text)
  if (n.isFloat && !isHexInt && text[0] !== "'" && /[.eEpP]/.test(text)) {
    return n.float64
  }
  if (n.isInt) {
    return new GoInt(n.int64)
  }
  if (n.isUint) {
    s.errorf(`${text} overflows int`)
  }
  return INVALID
}

function evalFieldNode(
  s: State,
  dot: Value,
  field: FieldNode,
  args: readonly ArgNode[] | null,
  final: Final,
): Value {
  s.at(field)
  return evalFieldChain(s, { dot, receiver: dot, node: field, ident: field.ident, args, final })
}

function evalChainNode(
  s: State,
  dot: Value,
  chain: ChainNode,
  args: readonly ArgNode[] | null,
  final: Final,
): Value {
  s.at(chain)
  if (chain.node.kind === 'nil') {
    s.errorf(`indirection through explicit nil in ${nodeToString(chain)}`)
  }
  // (pipe).Field1.Field2: evaluate the pipeline, then walk the fields.
  const receiver = evalArg(s, dot, null, chain.node)
  return evalFieldChain(s, { dot, receiver, node: chain, ident: chain.fields, args, final })
}

function evalVariableNode(
  s: State,
  dot: Value,
  variable: VariableNode,
  args: readonly ArgNode[] | null,
  final: Final,
): Value {
  s.at(variable)
  const receiver = s.varValue(variable.ident[0] ?? '')
  if (variable.ident.length === 1) {
    notAFunction(s, args ?? [], final)
    return receiver
  }
  const ident = variable.ident.slice(1)
  return evalFieldChain(s, { dot, receiver, node: variable, ident, args, final })
}

interface FieldChain {
  dot: Value
  receiver: Value
  node: Node
  ident: readonly string[]
  args: readonly ArgNode[] | null
  final: Final
}

function evalFieldChain(s: State, chain: FieldChain): Value {
  let receiver = chain.receiver
  chain.ident.forEach((name, i) => {
    const isLast = i === chain.ident.length - 1
    const args = isLast ? chain.args : null
    receiver = evalField(s, name, receiver, args, isLast ? chain.final : MISSING)
  })
  return receiver
}

// Our maps have no methods and there are no structs, so a field is always a map key.
function evalField(
  s: State,
  name: string,
  receiver: Value,
  args: readonly ArgNode[] | null,
  final: Final,
): Value {
  if (receiver === INVALID) {
    s.errorf(`nil data; no entry for key ${quoteGo(name)}`)
  }
  const type = typeName(receiver)
  let target = receiver
  if (target instanceof Iface) {
    if (target.inner === null) {
      s.errorf(`nil pointer evaluating ${type}.${name}`)
    }
    target = target.inner
  }

  if (!isGoMap(target)) {
    s.errorf(`can't evaluate field ${name} in type ${type}`)
  }
  if ((args !== null && args.length > 1) || final !== MISSING) {
    s.errorf(`${name} is not a method but has arguments`)
  }
  if (!Object.hasOwn(target, name)) {
    s.errorf(`map has no entry for key ${quoteGo(name)}`)
  }
  return new Iface(target[name])
}

function evalFunction(
  s: State,
  dot: Value,
  node: IdentifierNode,
  cmd: Node,
  args: readonly ArgNode[] | null,
  final: Final,
): Value {
  s.at(node)
  const fn = BUILTINS.get(node.ident)
  if (fn === undefined) {
    s.errorf(`${quoteGo(node.ident)} is not a defined function`)
  }
  const argNodes = args === null ? [] : args.slice(1)
  return evalCall(s, { dot, fn, node: cmd, name: node.ident, argNodes, final })
}

interface Call {
  dot: Value
  fn: Builtin
  /** The node an error from the function itself is reported at. */
  node: Node
  name: string
  argNodes: readonly ArgNode[]
  final: Final
}

function evalCall(s: State, call: Call): Value {
  checkArgCount(s, call)
  if (call.name === 'and' || call.name === 'or') {
    return evalShortCircuit(s, call)
  }

  const argv = evalCallArgs(s, call)
  try {
    return call.fn.call(argv)
  } catch (error) {
    if (error instanceof CallError) {
      s.at(call.node)
      s.errorf(`error calling ${call.name}: ${error.message}`)
    }
    throw error
  }
}

function checkArgCount(s: State, { fn, name, argNodes, final }: Call): void {
  const numIn = argNodes.length + (final === MISSING ? 0 : 1)
  if (fn.variadic !== null) {
    if (numIn < fn.params.length) {
      const want = fn.params.length
      s.errorf(`wrong number of args for ${name}: want at least ${want} got ${argNodes.length}`)
    }
  } else if (numIn !== fn.params.length) {
    s.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`)
  }
}

function evalCallArgs(s: State, { dot, fn, argNodes, final }: Call): unknown[] {
  const numFixed = fn.variadic === null ? argNodes.length : fn.params.length
  const argv = argNodes.map((node, i) => {
    const type = i < numFixed ? fn.params[i] : fn.variadic
    return evalArg(s, dot, type ?? null, node)
  })
  if (final !== MISSING) {
    // The piped-in value is the last argument: a fixed parameter or an element of the ...list.
    const numIn = argNodes.length + 1
    const type = fn.variadic !== null && numIn - 1 >= numFixed ? fn.variadic : fn.params[numIn - 1]
    argv.push(validateType(s, final, type ?? null))
  }
  return argv
}

// and/or evaluate their arguments left to right and stop at the first deciding one.
function evalShortCircuit(s: State, { dot, name, argNodes, final }: Call): Value {
  let v: Value = INVALID
  for (const node of argNodes) {
    v = evalArg(s, dot, 'value', node)
    if (isTrue(indirectInterface(v)) === (name === 'or')) {
      return v
    }
  }
  if (final !== MISSING) {
    v = validateType(s, final, 'value')
  }
  return v
}

/** An argument converted to what a parameter of `type` receives; Go's evalArg. */
function evalArg(s: State, dot: Value, type: ParamType | null, n: ArgNode): unknown {
  s.at(n)
  switch (n.kind) {
    case 'dot':
      return validateType(s, dot, type)
    case 'nil':
      return type === 'any' ? null : s.errorf(`cannot assign nil to ${paramTypeName(type)}`)
    case 'field':
      return validateType(s, evalFieldNode(s, dot, n, [n], MISSING), type)
    case 'variable':
      return validateType(s, evalVariableNode(s, dot, n, null, MISSING), type)
    case 'pipe':
      return validateType(s, evalPipeline(s, dot, n), type)
    case 'identifier':
      return validateType(s, evalFunction(s, dot, n, n, null, MISSING), type)
    case 'chain':
      return validateType(s, evalChainNode(s, dot, n, null, MISSING), type)
    default:
      return evalLiteralArg(s, type, n)
  }
}

function evalLiteralArg(s: State, type: ParamType | null, n: ArgNode): unknown {
  if (type === 'string') {
    return n.kind === 'string' ? n.text : s.errorf(`expected string; found ${nodeToString(n)}`)
  }
  if (type === null) {
    return s.errorf(`can't handle ${nodeToString(n)} for arg of type <nil>`)
  }
  s.at(n)
  switch (n.kind) {
    case 'bool':
      return n.value
    case 'number':
      return toArgument(idealConstant(s, n), type)
    case 'string':
      return n.text
    default:
      return s.errorf(`can't handle assignment of ${nodeToString(n)} to empty interface argument`)
  }
}

function toArgument(value: Value, type: ParamType): unknown {
  return type === 'any' ? toInterface(value) : value
}

// Go's validateType: checks a computed value against the parameter type and converts it.
function validateType(s: State, value: Value, type: ParamType | null): unknown {
  if (value === INVALID) {
    if (type === null) {
      return INVALID
    }
    // Only an interface{} parameter can hold "no value" (as nil).
    return type === 'any' ? null : s.errorf(`invalid value; expected ${paramTypeName(type)}`)
  }
  if (type === 'any') {
    return toInterface(value)
  }
  if (type !== 'string' || typeof value === 'string') {
    return value
  }

  const inner = value instanceof Iface && value.inner !== null ? value.inner : value
  if (typeof inner === 'string') {
    return inner
  }
  return s.errorf(`wrong type for value; expected string; got ${typeName(inner)}`)
}

function paramTypeName(type: ParamType | null): string {
  switch (type) {
    case 'value':
      return 'reflect.Value'
    case 'string':
      return 'string'
    default:
      return 'interface {}'
  }
}
