import { callerAbortError, DwollaTimeoutError } from '../errors.js';
import { discardBody } from './discard-body.js';
import { isAttemptTimeout } from './fast-send.js';
import type { DwollaRequest, Stage } from './stage.js';

function timedOut(request: DwollaRequest, timeoutMs: number): DwollaTimeoutError {
  return new DwollaTimeoutError(
    `${request.method} ${request.url.pathname}: no complete response within ${timeoutMs} ms (requestTimeoutMs)`,
  );
}

/**
 * The same bound when the transport enforces it (a fast send, see fast-send.ts: the send stage
 * hands it `timeoutMs`): no signal or timer here, only the errors said the same way. The
 * transport rejects with the caller's abort reason or its marked timeout.
 */
export function createTransportTimeoutStage(timeoutMs: number): Stage {
  return (request, next) =>
    next(request).catch((error: unknown) => {
      const caller = request.signal;
      if (caller?.aborted) throw callerAbortError(caller);
      throw isAttemptTimeout(error) ? timedOut(request, timeoutMs) : error;
    });
}

/**
 * Bounds each attempt (headers and body) by `timeoutMs`; the caller's signal still cancels.
 * The attempt's signal aborts the transport, and the stage rejects at once even when a
 * user-supplied fetch ignores the signal (its late result is dropped, never unhandled).
 */
export function createAttemptTimeoutStage(timeoutMs: number): Stage {
  return (request, next) => {
    const timeout = new AbortController();
    const caller = request.signal;
    const signal = caller ? AbortSignal.any([caller, timeout.signal]) : timeout.signal;
    const sent = next({ ...request, signal });
    return new Promise<Response>((resolve, reject) => {
      const fail = () => {
        if (caller?.aborted) {
          reject(callerAbortError(caller));
        } else {
          reject(timedOut(request, timeoutMs));
        }
      };
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      if (signal.aborted) fail();
      signal.addEventListener('abort', fail, { once: true });
      const settled = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', fail);
      };
      sent.then(
        (response) => {
          settled();
          if (signal.aborted) void discardBody(response);
          else resolve(response);
        },
        (error: unknown) => {
          settled();
          if (signal.aborted) fail();
          else reject(error);
        },
      );
    });
  };
}
