import { callerAbortError } from '../errors.js';

export { callerAbortError };

/**
 * Resolves like `promise`, but rejects at once when `signal` aborts (with `onAbort()`).
 * The underlying promise is not cancelled: other waiters still get its result.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: (signal: AbortSignal) => unknown = callerAbortError,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(onAbort(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort(signal));
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
