/**
 * Calls to the user's callbacks (hooks, the debug function, onWarning): they observe a call, they
 * never decide it. A callback that throws, or returns a promise that rejects, neither fails the
 * call that ran it nor leaves an unhandled rejection behind.
 */

/**
 * `callback` as a function that never throws: its first failure (a throw or a rejected promise)
 * is handed to `failed`, later ones are dropped (a callback that fails on every call is named
 * once, not once per call). `failed` itself must not throw.
 */
export function shielded<A extends unknown[]>(
  callback: (...args: A) => unknown,
  failed: (error: unknown) => void,
): (...args: A) => void {
  let told = false;
  const fail = (error: unknown) => {
    if (told) return;
    told = true;
    failed(error);
  };
  return (...args) => {
    try {
      const result = callback(...args);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
        Promise.resolve(result).catch(fail);
      }
    } catch (error) {
      fail(error);
    }
  };
}

/** An error named by class and message, for a warning. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
