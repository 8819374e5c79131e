// The parse tree, shaped like Go's text/template/parse nodes. `pos` is a UTF-16 offset into the
// template text; error messages turn it into Go's byte column.

export type Node =
  | ListNode
  | TextNode
  | ActionNode
  | IfNode
  | RangeNode
  | WithNode
  | PipeNode
  | CommandNode
  | ArgNode
  | EndNode
  | ElseNode

/** A node that can be an operand of a command. */
export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode

export interface ListNode {
  kind: 'list'
  pos: number
  nodes: Node[]
}

export interface TextNode {
  kind: 'text'
  pos: number
  text: string
}

export interface ActionNode {
  kind: 'action'
  pos: number
  pipe: PipeNode
}

/** if, range and with share one shape; `elseList` is null without an else branch. */
export interface BranchNode<K extends 'if' | 'range' | 'with'> {
  kind: K
  pos: number
  pipe: PipeNode
  list: ListNode
  elseList: ListNode | null
}

export type IfNode = BranchNode<'if'>
export type RangeNode = BranchNode<'range'>
export type WithNode = BranchNode<'with'>

export interface PipeNode {
  kind: 'pipe'
  pos: number
  isAssign: boolean
  decl: VariableNode[]
  cmds: CommandNode[]
}

export interface CommandNode {
  kind: 'command'
  pos: number
  args: ArgNode[]
}

export interface FieldNode {
  kind: 'field'
  pos: number
  ident: string[]
}

export interface VariableNode {
  kind: 'variable'
  pos: number
  ident: string[]
}

export interface ChainNode {
  kind: 'chain'
  pos: number
  node: ArgNode
  fields: string[]
}

export interface IdentifierNode {
  kind: 'identifier'
  pos: number
  ident: string
}

export interface DotNode {
  kind: 'dot'
  pos: number
}

export interface NilNode {
  kind: 'nil'
  pos: number
}

export interface BoolNode {
  kind: 'bool'
  pos: number
  value: boolean
}

/** A numeric constant with every interpretation Go found valid for its text. */
export interface NumberNode {
  kind: 'number'
  pos: number
  text: string
  isInt: boolean
  isUint: boolean
  isFloat: boolean
  int64: bigint
  float64: number
}

export interface StringNode {
  kind: 'string'
  pos: number
  quoted: string
  text: string
}

export interface EndNode {
  kind: 'end'
  pos: number
}

export interface ElseNode {
  kind: 'else'
  pos: number
}

/** Go's Node.String(): the node printed back as template source. */
export function nodeToString(node: Node): string {
  switch (node.kind) {
    case 'list':
      return node.nodes.map(nodeToString).join('')
    case 'text':
      return node.text
    case 'action':
      return `{{${nodeToString(node.pipe)}}}`
    case 'if':
    case 'range':
    case 'with':
      return branchToString(node)
    case 'pipe':
      return pipeToString(node)
    case 'command':
      return node.args.map(argToString).join(' ')
    default:
      return leafToString(node)
  }
}

function leafToString(node: ArgNode | EndNode | ElseNode): string {
  switch (node.kind) {
    case 'field':
      return node.ident.map((id) => `.${id}`).join('')
    case 'variable':
      return node.ident.join('.')
    case 'chain':
      return argToString(node.node) + node.fields.map((f) => `.${f}`).join('')
    case 'identifier':
      return node.ident
    case 'dot':
      return '.'
    case 'nil':
      return 'nil'
    case 'bool':
      return node.value ? 'true' : 'false'
    case 'number':
      return node.text
    case 'string':
      return node.quoted
    case 'end':
      return '{{end}}'
    case 'else':
      return '{{else}}'
    case 'pipe':
      return pipeToString(node)
  }
}

function branchToString(node: IfNode | RangeNode | WithNode): string {
  const head = `{{${node.kind} ${nodeToString(node.pipe)}}}${nodeToString(node.list)}`
  const tail = node.elseList === null ? '' : `{{else}}${nodeToString(node.elseList)}`
  return `${head}${tail}{{end}}`
}

function pipeToString(pipe: PipeNode): string {
  const decl = pipe.decl.length > 0 ? `${pipe.decl.map(nodeToString).join(', ')} := ` : ''
  return decl + pipe.cmds.map(nodeToString).join(' | ')
}

// A parenthesised pipeline inside a command or chain prints with its parentheses.
function argToString(arg: ArgNode): string {
  return arg.kind === 'pipe' ? `(${pipeToString(arg)})` : nodeToString(arg)
}
