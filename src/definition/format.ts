import { compareByteWise } from './discover.ts'
import { sortDiagnostics } from './load.ts'
import type { DefinitionSet, Diagnostic } from './types.ts'

/** `<file>:<line>:<column>: error|warning: <message>` (SPEC §2.4). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
}

/** `prunner validate` text output: every diagnostic by position, then the summary line. */
export function formatValidateText(set: DefinitionSet): string {
  const lines = sortDiagnostics([...set.errors, ...set.warnings]).map(formatDiagnostic)
  const summary =
    `${set.pipelines.size} pipelines in ${set.files.length} files: ` +
    `${set.errors.length} errors, ${set.warnings.length} warnings`
  return `${[...lines, summary].join('\n')}\n`
}

/** `prunner validate --json` output: one JSON object and a newline. */
export function formatValidateJson(set: DefinitionSet): string {
  const output = {
    files: set.files,
    pipelines: [...set.pipelines.keys()].sort(compareByteWise),
    errors: set.errors.map(jsonDiagnostic),
    warnings: set.warnings.map(jsonDiagnostic),
  }
  return `${JSON.stringify(output)}\n`
}

function jsonDiagnostic(d: Diagnostic) {
  return { file: d.file, line: d.line, column: d.column, message: d.message }
}
