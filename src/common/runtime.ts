import { callerAbortError } from './abort.js';

/**
 * The clock, waits and randomness the client runs on. Tests replace them (a fake clock, waits
 * that return at once, fixed jitter) through `createDwollaClientWith` (src/client.ts), which is
 * not part of the package's public surface: they are not options.
 */
export interface Runtime {
  /** Monotonic milliseconds: when a token is due for refresh (deadlines run on real time). */
  now(): number;
  /**
   * Resolves after `ms`; rejects with the caller's DwollaAbortError as soon as `signal` aborts,
   * and its timer is then cleared (a wait never keeps a process alive after its call ended).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1): the retry jitter. */
  random(): number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(callerAbortError(signal));
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(callerAbortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const DEFAULT_RUNTIME: Runtime = {
  now: () => performance.now(),
  sleep,
  random: Math.random,
};
