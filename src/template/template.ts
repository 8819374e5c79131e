import { executeTemplate } from './exec.ts'
import type { ListNode } from './nodes.ts'
import { parseTemplate } from './parser.ts'

/** A parsed template, reusable for many renders. */
export interface CompiledTemplate {
  /** Renders over `data` (the root `.` and `$`); throws TemplateError. */
  render(data: Record<string, unknown>): string
}

/**
 * Parses `text` as a Go text/template named "interpolate" with missingkey=error; throws
 * TemplateError with Go's parse error text, e.g. for an unknown function.
 */
export function compileTemplate(text: string): CompiledTemplate {
  const root: ListNode = parseTemplate(text)
  return {
    render: (data) => executeTemplate(root, text, data),
  }
}

/** Parses and renders `text` over `data` in one step; throws TemplateError. */
export function renderTemplate(text: string, data: Record<string, unknown>): string {
  return compileTemplate(text).render(data)
}
