// Parser for Go text/template, a port of text/template/parse with Go 1.23's {{else with}}.

import { BUILTINS } from './funcs.ts'
import { type Item, type ItemType, lex } from './lexer.ts'
import {
  INVALID_SYNTAX,
  LiteralError,
  parseNumberText,
  unquoteCharConstant,
  unquoteString,
} from './literals.ts'
import type {
  ActionNode,
  ArgNode,
  CommandNode,
  ElseNode,
  EndNode,
  IfNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  RangeNode,
  StringNode,
  VariableNode,
  WithNode,
} from './nodes.ts'
import { nodeToString } from './nodes.ts'
import { quoteGo } from './quote.ts'
import { TokenReader } from './token-reader.ts'

/** Parses a whole template; throws TemplateError with Go's message. */
export function parseTemplate(text: string): ListNode {
  return new Parser(lex(text)).parse()
}

const UNSUPPORTED: ReadonlySet<ItemType> = new Set([
  'define',
  'template',
  'block',
  'break',
  'continue',
])
class Parser extends TokenReader {
  private vars: string[] = ['$']

  parse(): ListNode {
    const root: ListNode = { kind: 'list', pos: this.peek().pos, nodes: [] }
    while (this.peek().type !== 'eof') {
      const node = this.textOrAction()
      if (node.kind === 'end' || node.kind === 'else') {
        this.errorf(`unexpected ${nodeToString(node)}`)
      }
      root.nodes.push(node)
    }
    return root
  }

  // Text, comment-free action, or control structure at the current position.

  private textOrAction(): Node {
    const item = this.nextNonSpace()
    if (item.type === 'text') {
      return { kind: 'text', pos: item.pos, text: item.val }
    }
    if (item.type !== 'leftDelim') {
      this.unexpected(item, 'input')
    }
    this.actionLine = item.line
    try {
      return this.action()
    } finally {
      this.actionLine = 0
    }
  }

  private itemList(): { list: ListNode; next: EndNode | ElseNode } {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] }
    while (this.peekNonSpace().type !== 'eof') {
      const node = this.textOrAction()
      if (node.kind === 'end' || node.kind === 'else') {
        return { list, next: node }
      }
      list.nodes.push(node)
    }
    this.errorf('unexpected EOF')
  }

  private action(): Node {
    const item = this.nextNonSpace()
    switch (item.type) {
      case 'else':
        return this.elseControl()
      case 'end':
        return { kind: 'end', pos: this.expect('rightDelim', 'end').pos }
      case 'if':
        return this.branchControl('if')
      case 'range':
        return this.branchControl('range')
      case 'with':
        return this.branchControl('with')
      default:
        if (UNSUPPORTED.has(item.type)) {
          this.errorf(`{{${item.val}}} is not supported`)
        }
    }
    this.backup()
    const pos = this.peek().pos
    const action: ActionNode = { kind: 'action', pos, pipe: this.pipeline('command', 'rightDelim') }
    return action
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace()
    // "{{else if" and "{{else with" leave the keyword pending for branchControl.
    if (peek.type === 'if' || peek.type === 'with') {
      return { kind: 'else', pos: peek.pos }
    }
    return { kind: 'else', pos: this.expect('rightDelim', 'else').pos }
  }

  private branchControl(context: 'if'): IfNode
  private branchControl(context: 'range'): RangeNode
  private branchControl(context: 'with'): WithNode
  private branchControl(context: 'if' | 'range' | 'with'): IfNode | RangeNode | WithNode {
    const depth = this.vars.length
    try {
      const pipe = this.pipeline(context, 'rightDelim')
      const { list, next } = this.itemList()
      const elseList = next.kind === 'else' ? this.elseBranch(context, next) : null
      return { kind: context, pos: pipe.pos, pipe, list, elseList }
    } finally {
      // Variables declared in the pipeline or the body end with the branch.
      this.vars.length = depth
    }
  }

  // {{else if ...}} and {{else with ...}} nest a branch that shares the outer {{end}}.
  private elseBranch(context: 'if' | 'range' | 'with', elseNode: ElseNode): ListNode {
    const peek = this.peek()
    if ((context === 'if' || context === 'with') && peek.type === context) {
      this.next()
      const nested = context === 'if' ? this.branchControl('if') : this.branchControl('with')
      return { kind: 'list', pos: elseNode.pos, nodes: [nested] }
    }

    const { list, next } = this.itemList()
    if (next.kind !== 'end') {
      this.errorf(`expected end; found ${nodeToString(next)}`)
    }
    return list
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const pipe: PipeNode = {
      kind: 'pipe',
      pos: this.peekNonSpace().pos,
      isAssign: false,
      decl: [],
      cmds: [],
    }
    this.parseDeclarations(pipe, context)

    for (;;) {
      const item = this.nextNonSpace()
      if (item.type === end) {
        this.checkPipeline(pipe, context)
        return pipe
      }
      if (!OPERAND_START.has(item.type)) {
        this.unexpected(item, context)
      }
      this.backup()
      pipe.cmds.push(this.command())
    }
  }

  // "$x :=", "$x =" or, in range, "$i, $e :=". Needs three tokens of lookahead: in "$x foo" the
  // variable is an argument, which is only known after reading past the space.
  private parseDeclarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace()
      if (v.type !== 'variable') {
        return
      }
      this.next()
      const afterVariable = this.peek()
      const next = this.peekNonSpace()
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign'
        this.nextNonSpace()
        this.declare(pipe, v)
        return
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace()
        this.declare(pipe, v)
        this.checkRangeDeclaration(pipe, context)
        continue
      }
      if (afterVariable.type === 'space') {
        this.backup3(v, afterVariable)
      } else {
        this.backup2(v)
      }
      return
    }
  }

  private checkRangeDeclaration(pipe: PipeNode, context: string): void {
    if (context === 'range' && pipe.decl.length < 2) {
      const type = this.peekNonSpace().type
      if (type === 'variable' || type === 'rightDelim' || type === 'rightParen') {
        return
      }
      this.errorf('range can only initialize variables')
    }
    this.errorf(`too many declarations in ${context}`)
  }

  private declare(pipe: PipeNode, v: Item): void {
    pipe.decl.push(variableNode(v.pos, v.val))
    this.vars.push(v.val)
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) {
      this.errorf(`missing value for ${context}`)
    }
    // Only the first command of a pipeline may start with a non-executable operand.
    pipe.cmds.forEach((cmd, i) => {
      const first = cmd.args[0]?.kind
      if (i > 0 && first !== undefined && NON_EXECUTABLE.has(first)) {
        this.errorf(`non executable command in pipeline stage ${i + 1}`)
      }
    })
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] }
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand !== null) {
        cmd.args.push(operand)
      }
      const item = this.next()
      if (item.type === 'space') {
        continue
      }
      if (item.type === 'rightDelim' || item.type === 'rightParen') {
        this.backup()
      } else if (item.type !== 'pipe') {
        this.unexpected(item, 'operand')
      }
      break
    }
    if (cmd.args.length === 0) {
      this.errorf('empty command')
    }
    return cmd
  }

  private operand(): ArgNode | null {
    const node = this.term()
    if (node === null || this.peek().type !== 'field') {
      return node
    }

    const pos = this.peek().pos
    const fields: string[] = []
    while (this.peek().type === 'field') {
      fields.push(this.next().val.slice(1))
    }
    // Fields after a field or variable extend it; literals cannot have fields.
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos, ident: [...node.ident, ...fields] }
      case 'variable':
        return { kind: 'variable', pos, ident: [...node.ident, ...fields] }
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${quoteGo(nodeToString(node))}`)
        break
      default:
        return { kind: 'chain', pos, node, fields }
    }
  }

  private term(): ArgNode | null {
    const item = this.nextNonSpace()
    switch (item.type) {
      case 'identifier':
        if (!BUILTINS.has(item.val)) {
          this.errorf(`function ${quoteGo(item.val)} not defined`)
        }
        return { kind: 'identifier', pos: item.pos, ident: item.val }
      case 'dot':
        return { kind: 'dot', pos: item.pos }
      case 'nil':
        return { kind: 'nil', pos: item.pos }
      case 'variable':
        return this.useVar(item)
      case 'field':
        return { kind: 'field', pos: item.pos, ident: [item.val.slice(1)] }
      case 'bool':
        return { kind: 'bool', pos: item.pos, value: item.val === 'true' }
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.numberNode(item)
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen')
      case 'string':
      case 'rawString':
        return this.stringNode(item)
      default:
        this.backup()
        return null
    }
  }

  private useVar(item: Item): VariableNode {
    const node = variableNode(item.pos, item.val)
    const name = node.ident[0] ?? ''
    if (!this.vars.includes(name)) {
      this.errorf(`undefined variable ${quoteGo(name)}`)
    }
    return node
  }

  private numberNode(item: Item): NumberNode {
    try {
      if (item.type === 'charConstant') {
        const rune = unquoteCharConstant(item.val)
        const int64 = BigInt(rune)
        const parsed = { isInt: true, isUint: true, isFloat: true, int64, float64: rune }
        return { kind: 'number', pos: item.pos, text: item.val, ...parsed }
      }
      return { kind: 'number', pos: item.pos, text: item.val, ...parseNumberText(item.val) }
    } catch (error) {
      return this.literalFailure(error)
    }
  }

  private stringNode(item: Item): StringNode {
    try {
      return { kind: 'string', pos: item.pos, quoted: item.val, text: unquoteString(item.val) }
    } catch (error) {
      return this.literalFailure(error)
    }
  }

  private literalFailure(error: unknown): never {
    if (error instanceof LiteralError) {
      this.errorf(error.message)
    }
    this.errorf(INVALID_SYNTAX)
  }
}

const OPERAND_START: ReadonlySet<ItemType> = new Set<ItemType>([
  'bool',
  'charConstant',
  'complex',
  'dot',
  'field',
  'identifier',
  'number',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
])

const NON_EXECUTABLE: ReadonlySet<string> = new Set(['bool', 'dot', 'nil', 'number', 'string'])

function variableNode(pos: number, name: string): VariableNode {
  return { kind: 'variable', pos, ident: name.split('.') }
}
