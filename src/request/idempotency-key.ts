import { withHeaders } from './headers.js';
import type { Stage } from './stage.js';

/** The header's name as the pipeline keeps it (lower case). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * Every POST carries an `Idempotency-Key`: the caller's kept as is, otherwise a fresh UUID v4.
 * It runs once per logical call, outside the retry loop, so every retry and the 401 replay
 * carry the same key (as stripe-node builds its headers once per request). `exempt` URLs (the
 * token endpoint, which keys nothing) are left alone.
 *
 * A key that is empty or only spaces (given as the header or `idempotencyKey`) protects nothing
 * while the call still counts as safe to retry: it is a TypeError before anything is sent. The
 * stage runs outside the errors stage (pipeline.ts), so that TypeError reaches the caller as is.
 */
export function createIdempotencyKeyStage(exempt: (url: URL) => boolean): Stage {
  return (request, next) => {
    const given = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (given !== undefined && given.trim() === '') {
      return Promise.reject(
        new TypeError(
          `${request.method} ${request.url.pathname}: the Idempotency-Key must not be blank: ` +
            'give a unique key (a UUID v4), or none for a fresh one per call',
        ),
      );
    }
    if (request.method !== 'POST' || given !== undefined || exempt(request.url)) {
      return next(request);
    }
    const headers = withHeaders(request.headers, { [IDEMPOTENCY_KEY_HEADER]: crypto.randomUUID() });
    return next({ ...request, headers });
  };
}
