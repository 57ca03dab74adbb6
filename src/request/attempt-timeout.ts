import { callerAbortError, DwollaTimeoutError } from '../errors.js';
import type { Stage } from './stage.js';
import { discardBody } from './discard-body.js';

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
          reject(
            new DwollaTimeoutError(
              `${request.method} ${request.url.pathname}: no complete response within ${timeoutMs} ms (requestTimeoutMs)`,
            ),
          );
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
