import type { Diagnostic } from '../definition/index.ts'

/** Log fields of a definition diagnostic (SPEC §4.7). */
export function diagnosticFields(diagnostic: Diagnostic): Record<string, unknown> {
  return {
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column,
    detail: diagnostic.message,
  }
}
