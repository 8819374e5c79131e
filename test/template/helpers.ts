import { renderTemplate, TemplateError } from '../../src/template/index.ts'

/** The TemplateError message of rendering `template`, failing the test if it renders. */
export function renderError(template: string, data: Record<string, unknown> = {}): string {
  try {
    renderTemplate(template, data)
  } catch (error) {
    if (error instanceof TemplateError) {
      return error.message
    }
    throw error
  }
  throw new Error(`expected ${JSON.stringify(template)} to fail`)
}
