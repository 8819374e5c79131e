import { existsSync } from 'node:fs'
import { errorMessage } from '../shared/errors.ts'
import { compareByteWise, findDefinitionFiles, joinGlob } from './discover.ts'
import { type ParsedFile, parseDefinitionFile } from './parse-file.ts'
import type { DefinitionSet, Diagnostic } from './types.ts'

export interface LoadOptions {
  /** `--path`: base directory of the pattern. */
  path: string
  /** `--pattern`: glob of definition files. */
  pattern: string
  /** `prunner validate`: zero files is an error, shells missing from PATH warn. */
  checkShells?: boolean
  /** `--shell` as given; with `checkShells` it warns when it is not found either. */
  shellFlag?: string
}

/**
 * Discovers, reads and validates every definition file (SPEC §4). Problems in the files are
 * diagnostics in the result, never exceptions.
 */
export async function loadDefinitions(options: LoadOptions): Promise<DefinitionSet> {
  const glob = joinGlob(options.path, options.pattern)
  const found = await findDefinitionFiles(glob)
  const set: DefinitionSet = { files: found.files, pipelines: new Map(), errors: [], warnings: [] }
  const diagnostics: Diagnostic[] = []
  if (found.error) {
    diagnostics.push(globDiagnostic(glob, found.error))
  } else if (found.files.length === 0 && options.checkShells) {
    diagnostics.push(globDiagnostic(glob, `no files match ${glob}`))
  }

  if (options.checkShells && options.shellFlag && !shellExists(options.shellFlag)) {
    diagnostics.push(shellFlagDiagnostic(options.shellFlag))
  }

  const declaredIn = new Map<string, string>()
  for (const file of found.files) {
    const parsed = await readDefinitionFile(file)
    diagnostics.push(...parsed.diagnostics)
    mergeFile({ set, parsed, file, declaredIn, diagnostics })
    if (options.checkShells) {
      diagnostics.push(...missingShells(file, parsed))
    }
  }

  set.errors = sortDiagnostics(diagnostics.filter((d) => d.severity === 'error'))
  set.warnings = sortDiagnostics(diagnostics.filter((d) => d.severity === 'warning'))
  return set
}

/** Orders diagnostics by file (byte-wise), line, column; stable for equal positions. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.toSorted(
    (a, b) => compareByteWise(a.file, b.file) || a.line - b.line || a.column - b.column,
  )
}

async function readDefinitionFile(file: string): Promise<ParsedFile> {
  let text: string
  try {
    text = await Bun.file(file).text()
  } catch (error) {
    const diagnostic: Diagnostic = {
      file,
      line: 0,
      column: 0,
      severity: 'error',
      message: `reading file: ${errorMessage(error)}`,
    }
    return { pipelines: [], diagnostics: [diagnostic], shells: [] }
  }

  return parseDefinitionFile(file, text)
}

/** Adds a file's pipelines; a name declared by an earlier file fails here (SPEC §4.1). */
function mergeFile(options: {
  set: DefinitionSet
  parsed: ParsedFile
  file: string
  declaredIn: Map<string, string>
  diagnostics: Diagnostic[]
}): void {
  const { set, parsed, file, declaredIn, diagnostics } = options
  for (const pipeline of parsed.pipelines) {
    const earlier = declaredIn.get(pipeline.name)
    if (earlier !== undefined) {
      const message = `pipeline "${pipeline.name}" was already declared in ${earlier}`
      diagnostics.push({
        file,
        line: pipeline.line,
        column: pipeline.column,
        severity: 'error',
        message,
      })
      continue
    }

    declaredIn.set(pipeline.name, file)
    if (pipeline.definition) {
      set.pipelines.set(pipeline.name, pipeline.definition)
    }
  }
}

function missingShells(file: string, parsed: ParsedFile): Diagnostic[] {
  return parsed.shells
    .filter(({ shell }) => !shellExists(shell))
    .map(({ shell, line, column }) => ({
      file,
      line,
      column,
      severity: 'warning' as const,
      message: `shell "${shell}" not found on PATH`,
    }))
}

// A shell with a path separator is a path; any other name is looked up on PATH (SPEC §6.1).
function shellExists(shell: string): boolean {
  return /[/\\]/.test(shell) ? existsSync(shell) : Bun.which(shell) !== null
}

// The flag has no position in any file: it is reported under its own name, at line 0.
function shellFlagDiagnostic(shell: string): Diagnostic {
  return {
    file: '--shell',
    line: 0,
    column: 0,
    severity: 'warning',
    message: `shell "${shell}" not found on PATH`,
  }
}

function globDiagnostic(glob: string, message: string): Diagnostic {
  return { file: glob, line: 0, column: 0, severity: 'error', message }
}
