import { PrunnerError, type PrunnerErrorCode } from '../shared/errors.ts'
import { stringifyJson } from './json.ts'

const TEXT_TYPE = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json'

// Byte sizes of the bodies built here, so the request log need not buffer or re-stream them.
const knownSizes = new WeakMap<Response, number>()

/** The body size of a response built by this module, or undefined (streamed or foreign). */
export function knownBodySize(response: Response): number | undefined {
  return knownSizes.get(response)
}

/** One JSON value followed by `\n` (SPEC §8.3). */
export function jsonResponse(value: unknown, status = 200): Response {
  return sizedResponse(`${stringifyJson(value)}\n`, status, JSON_TYPE)
}

export function errorJsonResponse(status: number, message: string): Response {
  return jsonResponse({ error: message }, status)
}

export function textResponse(status: number, text: string): Response {
  return sizedResponse(`${text}\n`, status, TEXT_TYPE)
}

export function notFoundResponse(): Response {
  return textResponse(404, '404 page not found')
}

export function methodNotAllowedResponse(allowed: string[]): Response {
  const response = new Response(null, { status: 405, headers: { Allow: allowed.join(', ') } })
  knownSizes.set(response, 0)
  return response
}

export function internalErrorResponse(): Response {
  return errorJsonResponse(500, 'Internal server error')
}

/** A streamed JSON body; the request log counts its bytes as they are sent. */
export function jsonStreamResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: 200, headers: { 'Content-Type': JSON_TYPE } })
}

/**
 * The one place where scheduler error codes become HTTP answers (SPEC §8.6); undefined for
 * errors that are internal.
 */
export function responseForError(error: unknown): Response | undefined {
  if (!(error instanceof PrunnerError)) {
    return undefined
  }

  const mapping = ERROR_RESPONSES[error.code]
  if (!mapping) {
    return undefined
  }

  return errorJsonResponse(mapping.status, mapping.message(error.message))
}

const ERROR_RESPONSES: Partial<
  Record<PrunnerErrorCode, { status: number; message: (detail: string) => string }>
> = {
  PIPELINE_NOT_FOUND: { status: 400, message: (detail) => `Error scheduling pipeline: ${detail}` },
  SCHEDULE_REJECTED: { status: 400, message: (detail) => `Error scheduling pipeline: ${detail}` },
  SHUTTING_DOWN: { status: 503, message: () => 'Server is shutting down' },
  STORE_FAILED: { status: 500, message: () => 'Error storing job' },
  JOB_NOT_FOUND: { status: 404, message: () => 'Job not found' },
  TASK_NOT_FOUND: { status: 404, message: () => 'Task not found' },
  CANCEL_FAILED: { status: 500, message: () => 'Error canceling job' },
}

function sizedResponse(body: string, status: number, contentType: string): Response {
  const bytes = new TextEncoder().encode(body)
  const response = new Response(bytes, { status, headers: { 'Content-Type': contentType } })
  knownSizes.set(response, bytes.byteLength)
  return response
}
