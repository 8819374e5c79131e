export { TemplateError } from './errors.ts'
export { type CompiledTemplate, compileTemplate, renderTemplate } from './template.ts'
