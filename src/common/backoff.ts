/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */

/**
 * Uniform in [0, min(capMs, baseMs · 2^retryIndex)): `retryIndex` is 0 before the first retry.
 * `random` is uniform in [0, 1).
 */
export function fullJitterDelay(
  retryIndex: number,
  random: () => number,
  baseMs: number,
  capMs = Infinity,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** retryIndex));
}
