import { dwollaError, type Reply } from './replies.js';

/** The emulator's `rateLimit` option. */
export type RateLimitOptions = {
  /** Requests answered per second (of the emulator's clock); the rest get 429. */
  requestsPerSecond: number;
};

/**
 * A fixed one-second window: the first `requestsPerSecond` requests of each second are answered,
 * the rest get Dwolla's 429 TooManyRequests with a Retry-After for the rest of the second.
 */
export function createRateLimit(options: RateLimitOptions, now: () => number) {
  const limit = options.requestsPerSecond;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `rateLimit.requestsPerSecond must be a whole number of at least 1, not ${limit}`,
    );
  }
  let second = -1;
  let count = 0;
  return (): Reply | undefined => {
    const t = now();
    const current = Math.floor(t / 1000);
    if (current !== second) [second, count] = [current, 0];
    if (++count <= limit) return undefined;
    const wait = Math.max(1, Math.ceil((1000 - (t % 1000)) / 1000));
    return dwollaError(
      429,
      'TooManyRequests',
      `Too many requests: more than ${limit} a second. Retry after ${wait} s.`,
      {},
      { 'retry-after': String(wait) },
    );
  };
}
