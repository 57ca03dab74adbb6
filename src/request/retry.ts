import { fullJitterDelay } from '../common/backoff.js';
import { retryAfterMs } from '../common/retry-after.js';
import type { Runtime } from '../common/runtime.js';
import { DwollaNetworkError, DwollaTimeoutError } from '../errors.js';
import { isKeyInFlight } from './api-error.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key.js';
import type { Observer } from './observe/observer.js';
import { eventUrl } from './observe/event-url.js';
import type { DwollaAnswer, DwollaRequest, Stage } from './stage.js';

/** What is retried, and how long to wait: the whole policy in one table (as ky's defaults). */
export const RETRY_POLICY = {
  /** Statuses worth another attempt: rate limit and transient server or gateway failures. */
  statuses: new Set([429, 500, 502, 503, 504]),
  /** Methods safe to send again; any other method only with an `Idempotency-Key`. */
  methods: new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']),
  /** Full jitter: retry n (0-based) waits uniform in [0, min(maxDelayMs, baseDelayMs · 2^n)). */
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  /** A `Retry-After` longer than this is not waited for: the 429/503 is surfaced instead. */
  maxRetryAfterMs: 60_000,
} as const;

export interface RetryOptions {
  /** Retries after the first attempt (0: none). */
  maxRetries: number;
  runtime: Runtime;
  observer: Observer;
}

type Outcome = { response: DwollaAnswer } | { error: unknown };

/**
 * Why an outcome deserves another attempt, or undefined when it does not. A 409 "key in flight"
 * is worth one only on a retry: its key is this call's own, held by the earlier attempt that
 * timed out or was cut off, whose `201` a later attempt gets replayed. On the first attempt the
 * key is held by another call, and the caller is told.
 */
function retryReason(
  outcome: Outcome,
  request: DwollaRequest,
  retries: number,
): string | undefined {
  if ('response' in outcome) {
    const { status } = outcome.response;
    if (RETRY_POLICY.statuses.has(status)) return `HTTP ${status}`;
    return retries > 0 && isKeyInFlight(outcome.response, request.method)
      ? 'HTTP 409 (the earlier attempt is in flight)'
      : undefined;
  }
  if (outcome.error instanceof DwollaTimeoutError) return 'timeout';
  if (outcome.error instanceof DwollaNetworkError) return 'network error';
  return undefined;
}

/**
 * How long to wait before retry n (0-based): full-jitter backoff, but never less than a
 * `Retry-After` asks; undefined when it asks for longer than `maxRetryAfterMs` (not waited for).
 */
function retryDelay(
  retries: number,
  response: DwollaAnswer | undefined,
  random: () => number,
): number | undefined {
  const asked = retryAfterMs(response?.headers);
  if (asked !== undefined && asked > RETRY_POLICY.maxRetryAfterMs) return undefined;
  const backoff = fullJitterDelay(
    retries,
    random,
    RETRY_POLICY.baseDelayMs,
    RETRY_POLICY.maxDelayMs,
  );
  return Math.max(backoff, asked ?? 0);
}

/**
 * Sends again on 429, 500, 502, 503, 504, network errors and attempt timeouts, at most
 * `maxRetries` times, waiting full-jitter exponential backoff but never less than a
 * `Retry-After` asks; a 409 "key in flight" only on a retry. Other statuses are returned at
 * once. A wait ends when the caller's signal aborts (its timer cleared); one that would end
 * after the call's deadline is not started: the last outcome is surfaced instead.
 */
export function createRetryStage({ maxRetries, runtime, observer }: RetryOptions): Stage {
  const { sleep, random } = runtime;
  return async (request, next) => {
    const replayable =
      RETRY_POLICY.methods.has(request.method) || IDEMPOTENCY_KEY_HEADER in request.headers;
    for (let retries = 0; ; retries++) {
      const attempt = retries === 0 ? request : { ...request, attempt: retries + 1 };
      let outcome: Outcome;
      try {
        outcome = { response: await next(attempt) };
      } catch (error) {
        outcome = { error };
      }
      const response = 'response' in outcome ? outcome.response : undefined;
      const reason =
        replayable && retries < maxRetries ? retryReason(outcome, request, retries) : undefined;
      const delayMs = reason === undefined ? undefined : retryDelay(retries, response, random);
      if (
        reason === undefined ||
        delayMs === undefined ||
        (request.deadline !== undefined && performance.now() + delayMs >= request.deadline)
      ) {
        if (response) return response;
        throw (outcome as { error: unknown }).error;
      }
      observer.retry({
        method: request.method,
        url: eventUrl(request.url),
        attempt: attempt.attempt,
        reason,
        status: response?.status,
        delayMs,
      });
      await sleep(delayMs, request.signal);
    }
  };
}
