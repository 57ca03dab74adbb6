import { DwollaTimeoutError } from '../errors.js';
import type { Stage } from './stage.js';

/**
 * `callTimeoutMs`: one deadline for a whole call (the token wait, every attempt, every wait
 * between retries). The call runs on a signal of its own that aborts at the deadline or when the
 * caller's does; every wait and exchange below already ends on its signal. A call that ended
 * because the deadline passed fails with a DwollaTimeoutError saying so. The listener on the
 * caller's signal and the timer are removed when the call settles.
 */
export function createCallDeadlineStage(callTimeoutMs: number): Stage {
  return async (request, next) => {
    const caller = request.signal;
    const controller = new AbortController();
    const expired = new DwollaTimeoutError(
      `${request.method} ${request.url.pathname}: the call did not complete within ${callTimeoutMs} ms (callTimeoutMs)`,
    );
    const onAbort = () => controller.abort(caller!.reason);
    if (caller?.aborted) onAbort();
    else caller?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(expired), callTimeoutMs);
    try {
      return await next({
        ...request,
        signal: controller.signal,
        deadline: performance.now() + callTimeoutMs,
      });
    } catch (error) {
      throw controller.signal.reason === expired ? expired : error;
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  };
}
