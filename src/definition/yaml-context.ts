import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  type LineCounter,
  type Node,
  visit,
} from 'yaml'
import type { Diagnostic, Severity } from './types.ts'

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL'])
// A plain value that opens with `{{` is parsed as a flow mapping, which is never what was meant.
const UNQUOTED_TEMPLATE = /(?:^\s*-|:)[ \t]+\{\{/m
const TEMPLATE_HINT = ' (hint: quote values that start with "{{")'

/** One definition file while it is read: positions, anchors and the diagnostics found so far. */
export class FileContext {
  readonly file: string
  readonly diagnostics: Diagnostic[] = []
  /** Every non-empty `shell` value, for validate's PATH check. */
  readonly shells: { shell: string; node: Node }[] = []
  readonly #text: string
  readonly #lines: LineCounter
  readonly #anchors = new Map<string, Node[]>()

  constructor(options: { file: string; text: string; lines: LineCounter }) {
    this.file = options.file
    this.#text = options.text
    this.#lines = options.lines
  }

  /** Indexes anchors once, so aliases resolve without a document walk each. */
  indexAnchors(doc: Document): void {
    visit(doc, (_key, node) => {
      if (isNode(node) && !isAlias(node) && node.anchor) {
        const list = this.#anchors.get(node.anchor) ?? []
        list.push(node)
        this.#anchors.set(node.anchor, list)
      }
    })
  }

  /** Follows an alias to its anchored node; reports an alias without an anchor. */
  resolve(node: unknown): Node | undefined {
    if (!isNode(node)) {
      return undefined
    }

    if (!isAlias(node)) {
      return node
    }

    // YAML binds an alias to the closest anchor of that name before it.
    const offset = node.range?.[0] ?? Number.POSITIVE_INFINITY
    const candidates = this.#anchors.get(node.source) ?? []
    const target = candidates.filter((anchored) => (anchored.range?.[0] ?? 0) < offset).at(-1)
    if (!target) {
      this.error(node, `alias "*${node.source}" has no matching anchor`)
    }

    return target
  }

  /** `~`, `null` and nothing count as absent (SPEC §4.2); quoted text never does. */
  isNull(node: Node | undefined): boolean {
    if (node === undefined) {
      return true
    }

    return isScalar(node) && node.type === 'PLAIN' && NULL_WORDS.has(String(node.value))
  }

  /** The diagnostic message for a value of the wrong type, with the `{{` hint when it fits. */
  typeMessage(node: Node | undefined, message: string): string {
    const source = node?.range ? this.#text.slice(node.range[0], node.range[0] + 2) : ''
    return isMap(node) && node.flow && source === '{{' ? message + TEMPLATE_HINT : message
  }

  /** The `{{` hint for a YAML syntax error, when the file has an unquoted template value. */
  syntaxHint(): string {
    return UNQUOTED_TEMPLATE.test(this.#text) ? TEMPLATE_HINT : ''
  }

  lineOf(node: Node | undefined): number {
    return this.positionOf(node).line
  }

  positionOf(node: Node | undefined): { line: number; column: number } {
    return this.#position(node?.range?.[0])
  }

  error(at: Node | number | undefined, message: string): void {
    this.#report('error', at, message)
  }

  warning(at: Node | number | undefined, message: string): void {
    this.#report('warning', at, message)
  }

  #report(severity: Severity, at: Node | number | undefined, message: string): void {
    const offset = typeof at === 'number' ? at : at?.range?.[0]
    this.diagnostics.push({ file: this.file, ...this.#position(offset), severity, message })
  }

  #position(offset: number | undefined): { line: number; column: number } {
    if (offset === undefined) {
      return { line: 0, column: 0 }
    }

    const { line, col } = this.#lines.linePos(offset)
    return { line, column: col }
  }
}
