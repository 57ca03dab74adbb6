import { callerAbortError } from '../common/abort.js';
import {
  DwollaError,
  DwollaNetworkError,
  DwollaResponseTooLargeError,
  DwollaTimeoutError,
} from '../errors.js';
import { isTransportFailure, type DwollaTransport } from '../transport/transport.js';
import type { DwollaRequest, Next } from './stage.js';

export interface SendOptions {
  transport: DwollaTransport;
  attemptTimeoutMs: number;
  maxResponseBytes: number;
}

/** The error for a body over `limit`, from the transport that found it. */
export function tooLarge(request: { method: string; url: URL }, limit: number) {
  return new DwollaResponseTooLargeError(
    `${request.method} ${request.url.pathname}: the response body is larger than ${limit} bytes (maxResponseBytes)`,
  );
}

/**
 * The last step: one exchange on the transport, bounded by `attemptTimeoutMs` and by
 * `maxResponseBytes` (the call's deadline, if any, ends it through the signal: call-deadline.ts),
 * each failure said as a DwollaError naming the request: the caller's abort, the attempt's time
 * limit, a body over the cap (never retried), a redirect a `fetch` followed, a network error
 * (with its cause).
 */
export function createSend(options: SendOptions): Next {
  const { transport, attemptTimeoutMs, maxResponseBytes } = options;
  return async (request: DwollaRequest) => {
    const where = `${request.method} ${request.url.pathname}`;
    let answer;
    try {
      answer = await transport.send({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body,
        timeoutMs: attemptTimeoutMs,
        signal: request.signal,
        maxResponseBytes,
      });
    } catch (cause) {
      if (request.signal?.aborted) throw callerAbortError(request.signal);
      if (isTransportFailure(cause, 'timeout')) {
        throw new DwollaTimeoutError(
          `${where}: no complete response within ${attemptTimeoutMs} ms (attemptTimeoutMs)`,
        );
      }
      if (isTransportFailure(cause, 'too-large')) throw tooLarge(request, maxResponseBytes);
      if (isTransportFailure(cause, 'redirected')) {
        throw new DwollaError(
          `${where}: the transport followed a redirect to another URL although redirect: 'manual' was asked; the response was dropped`,
        );
      }
      if (isTransportFailure(cause, 'interrupted')) {
        throw new DwollaNetworkError(`${where}: the connection failed while reading the response`, {
          status: (cause as { status?: number }).status,
          cause: (cause as Error).cause,
        });
      }
      throw new DwollaNetworkError(`${where}: network error reaching ${request.url.origin}`, {
        cause,
      });
    }
    // A transport of the caller's that kept more than it was told to is held to the cap too.
    if (answer.body.byteLength > maxResponseBytes) throw tooLarge(request, maxResponseBytes);
    if (answer.status < 200 || answer.status > 599) {
      throw new DwollaError(`${where}: unusable response (status ${answer.status})`);
    }
    return answer;
  };
}
