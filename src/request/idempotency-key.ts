import type { Stage } from './stage.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * Every POST carries an `Idempotency-Key`: the caller's kept as is, otherwise a fresh UUID v4.
 * It runs once per logical call, outside the retry loop, so every retry and the 401 replay
 * carry the same key (as stripe-node builds its headers once per request). `exempt` URLs (the
 * token endpoint, which keys nothing) are left alone.
 */
export function createIdempotencyKeyStage(exempt: (url: URL) => boolean): Stage {
  return (request, next) => {
    if (
      request.method !== 'POST' ||
      request.headers.has(IDEMPOTENCY_KEY_HEADER) ||
      exempt(request.url)
    ) {
      return next(request);
    }
    const headers = request.headers.copy();
    headers.set(IDEMPOTENCY_KEY_HEADER, crypto.randomUUID());
    return next({ ...request, headers });
  };
}
