/**
 * Time limits: every one the client takes (attempt, call, token, token store, connect) is a
 * timer's delay, and a timer holds at most 2^31 - 1 ms (about 24.8 days): Node clamps a longer
 * one to 1 ms, so it would fire at once. Longer limits are refused, naming the option.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Why `value` is not a usable time limit (a positive number of milliseconds a timer holds), or
 * undefined when it is.
 */
export function timeLimitProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    return 'must be a positive finite number of milliseconds';
  }
  if (value > MAX_TIMER_MS) {
    return `must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest a timer holds)`;
  }
  return undefined;
}
