import { DwollaError, DwollaNetworkError } from '../errors.js';
import type { DwollaRequest } from './stage.js';
import { discardBody } from './discard-body.js';
import { tooLarge } from './read-body.js';
import { fastSendOf, isAttemptTimeout } from './fast-send.js';
import { isResponseTooLarge, MAX_RESPONSE_BYTES } from './response-limit.js';

/**
 * The last step: one send on the injected transport, never following a redirect (a 3xx is
 * handed back as is). A transport that follows one anyway (`response.redirected`, or a
 * different `response.url`) is not trusted: its response is dropped. The transport is told
 * `maxResponseBytes` (see response-limit.ts); one that stops a body at it fails the call with
 * the same DwollaResponseTooLargeError as the read-body stage (never retried).
 *
 * A transport with a fast send (fast-send.ts, `createUndiciFetch()`) gets the attempt as plain
 * values with `attemptTimeoutMs`, which it enforces itself; its marked timeout is passed up to
 * the attempt-timeout stage, which says it.
 */
export function createSend(
  transport: typeof globalThis.fetch,
  maxResponseBytes: number,
  attemptTimeoutMs: number,
) {
  const fast = fastSendOf(transport);
  const sendOnce = fast
    ? (request: DwollaRequest) =>
        fast({
          method: request.method,
          url: request.url,
          headers: request.headers.toRecord(),
          body: request.body,
          signal: request.signal,
          timeoutMs: attemptTimeoutMs,
          maxResponseBytes,
        })
    : (request: DwollaRequest) =>
        transport(request.url.href, {
          method: request.method,
          headers: request.headers.toHeaders(),
          body: request.body,
          signal: request.signal,
          redirect: 'manual',
          [MAX_RESPONSE_BYTES]: maxResponseBytes,
        } as RequestInit);
  return async (request: DwollaRequest): Promise<Response> => {
    let response: Response;
    try {
      response = await sendOnce(request);
    } catch (cause) {
      if (request.signal?.aborted || (fast && isAttemptTimeout(cause))) throw cause;
      if (isResponseTooLarge(cause)) throw tooLarge(request, maxResponseBytes);
      throw new DwollaNetworkError(
        `${request.method} ${request.url.pathname}: network error reaching ${request.url.origin}`,
        { cause },
      );
    }
    // A fast send never follows a redirect (it sends once): only a plain fetch is checked.
    if (!fast && followedRedirect(request, response)) {
      await discardBody(response);
      throw new DwollaError(
        `${request.method} ${request.url.pathname}: the transport followed a redirect to another URL although redirect: 'manual' was asked; the response was dropped`,
      );
    }
    return response;
  };
}

function followedRedirect(request: DwollaRequest, response: Response): boolean {
  const sentUrl = request.url.href.split('#', 1)[0];
  return response.redirected || (response.url !== '' && response.url !== sentUrl);
}
