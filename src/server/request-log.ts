import type { Logger } from '../log/index.ts'
import { errorMessage } from '../shared/errors.ts'
import { requestTarget } from './request-url.ts'
import { internalErrorResponse, knownBodySize } from './responses.ts'

/**
 * Answers a request through `handle` and logs `http request` once the body has been sent
 * (SPEC §11), so `bytes` and `durationMs` cover streamed bodies too. Never logs headers.
 */
export async function handleAndLog(options: {
  handle: (request: Request) => Promise<Response>
  request: Request
  logger: Logger
  remoteAddr: string
}): Promise<Response> {
  const { request, logger } = options
  const startedAt = performance.now()
  const response = await handleSafely(options)
  const finish = (bytes: number) => {
    logger.info('http request', {
      method: request.method,
      path: requestTarget(request.url),
      status: response.status,
      bytes,
      durationMs: Math.round(performance.now() - startedAt),
      remoteAddr: options.remoteAddr,
    })
  }

  const size = knownBodySize(response)
  if (size !== undefined || response.body === null) {
    finish(size ?? 0)
    return response
  }

  return new Response(countBytes({ body: response.body, finish, logger }), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}

// The last line of defence: Elysia's error hook normally answers first.
async function handleSafely(options: {
  handle: (request: Request) => Promise<Response>
  request: Request
  logger: Logger
}): Promise<Response> {
  try {
    return await options.handle(options.request)
  } catch (error) {
    options.logger.error('request failed', { error: errorMessage(error) })
    return internalErrorResponse()
  }
}

/** Passes `body` through, one chunk per pull, and reports the byte count when it ends. */
function countBytes(options: {
  body: ReadableStream<Uint8Array>
  finish: (bytes: number) => void
  logger: Logger
}): ReadableStream<Uint8Array> {
  const reader = options.body.getReader()
  let bytes = 0
  let isDone = false
  // A client that disconnects cancels this stream while a read may still be pending: that is
  // the normal end of a followed log or event stream, logged once, not an error.
  const finishOnce = (): void => {
    if (!isDone) {
      isDone = true
      options.finish(bytes)
    }
  }
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      try {
        const { done, value } = await reader.read()
        if (isDone) {
          return
        }

        if (done) {
          controller.close()
          finishOnce()
          return
        }

        bytes += value.byteLength
        controller.enqueue(value)
      } catch (error) {
        if (isDone) {
          return
        }

        // Headers are gone already: the client sees a cut-off body, the operator this line.
        options.logger.error('response body failed', { error: errorMessage(error) })
        finishOnce()
        controller.error(error)
      }
    },
    cancel: async (reason) => {
      finishOnce()
      await reader.cancel(reason)
    },
  })
}
