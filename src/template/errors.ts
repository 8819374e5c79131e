import { PrunnerError } from '../shared/errors.ts'

/** A parse or execution error; the message is exactly the text Go's text/template reports. */
export class TemplateError extends PrunnerError {
  constructor(message: string) {
    super('TEMPLATE', message)
    this.name = 'TemplateError'
  }
}

/** The template name Go prints in every message. */
export const TEMPLATE_NAME = 'interpolate'

/** A parse error: Go reports the line of the last token read, never a column. */
export function parseError(line: number, reason: string): TemplateError {
  return new TemplateError(`template: ${TEMPLATE_NAME}:${line}: ${reason}`)
}
