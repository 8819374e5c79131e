import { type Document, isMap, LineCounter, parseAllDocuments, type YAMLError } from 'yaml'
import { expectMapping, readSettings, type Scope } from './fields.ts'
import { readPipeline } from './pipeline.ts'
import { TopLevelSchema } from './schema.ts'
import type { Diagnostic, PipelineDefinition } from './types.ts'
import { FileContext } from './yaml-context.ts'
import { combineLayers } from './yaml-entries.ts'

/** A pipeline name as declared in a file; `definition` is set when it loaded without error. */
export interface DeclaredPipeline {
  name: string
  line: number
  column: number
  definition?: PipelineDefinition
}

export interface ParsedFile {
  pipelines: DeclaredPipeline[]
  diagnostics: Diagnostic[]
  shells: { shell: string; line: number; column: number }[]
}

// yaml's failsafe schema keeps every scalar as its text, so `0755` or `1.10` reach script lines
// and env values as written; the loader converts by the type of the field instead.
const PARSE_OPTIONS = { schema: 'failsafe', uniqueKeys: false, prettyErrors: false } as const
// Core-schema tags are unknown to the failsafe schema; their values are still read as text.
const CORE_TAG_WARNING = /tag:yaml\.org,2002:/

/** Reads one definition file (SPEC §4.2). Never throws for bad input. */
export function parseDefinitionFile(file: string, source: string): ParsedFile {
  // CRLF is folded before parsing so no `\r` reaches a script line (columns stay the same).
  const text = source.replaceAll('\r\n', '\n')
  const lines = new LineCounter()
  const ctx = new FileContext({ file, text, lines })
  const documents = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines })
  const result: ParsedFile = { pipelines: [], diagnostics: ctx.diagnostics, shells: [] }
  const [first, second] = documents
  if ('empty' in documents) {
    reportYamlErrors(ctx, documents.errors)
  }

  if (second) {
    ctx.warning(second.range[0], 'only the first YAML document is read')
  }

  if (!first || ctx.isNull(first.contents ?? undefined)) {
    if (!first || first.errors.length === 0) {
      ctx.warning(0, 'file contains no pipeline definitions')
    }

    reportYamlErrors(ctx, first?.errors ?? [])
    return result
  }

  if (reportYamlErrors(ctx, first.errors)) {
    return result
  }

  reportYamlWarnings(ctx, first.warnings)
  result.pipelines = readTopLevel(ctx, first, file)
  result.shells = ctx.shells.map(({ shell, node }) => ({ shell, ...ctx.positionOf(node) }))
  return result
}

function readTopLevel(ctx: FileContext, doc: Document, file: string): DeclaredPipeline[] {
  ctx.indexAnchors(doc)
  const top = ctx.resolve(doc.contents)
  if (!isMap(top)) {
    ctx.error(top, 'top level must be a mapping')
    return []
  }

  const scope: Scope = { ctx, prefix: '', path: '', where: 'the top level' }
  const settings = readSettings(scope, top, TopLevelSchema, (field) => field.key.startsWith('x-'))
  const field = settings.fields.get('pipelines')
  if (field === undefined) {
    return []
  }

  const entries = combineLayers(ctx, field, (node) => {
    expectMapping(scope, node, 'pipelines')
  })
  return [...entries.values()].map((entry) => {
    const definition = readPipeline(ctx, entry, file)
    const declared = { name: entry.key, ...ctx.positionOf(entry.keyNode) }
    return definition ? { ...declared, definition } : declared
  })
}

/** Reports YAML syntax errors; true when there was one. */
function reportYamlErrors(ctx: FileContext, errors: YAMLError[]): boolean {
  for (const error of errors) {
    ctx.error(error.pos[0], `invalid YAML: ${error.message}${ctx.syntaxHint()}`)
  }

  return errors.length > 0
}

function reportYamlWarnings(ctx: FileContext, warnings: YAMLError[]): void {
  for (const warning of warnings) {
    if (!CORE_TAG_WARNING.test(warning.message)) {
      ctx.warning(warning.pos[0], `YAML: ${warning.message}`)
    }
  }
}
