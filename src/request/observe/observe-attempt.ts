import type { Redact } from '../api-error.js';
import type { Stage } from '../stage.js';
import type { Observer } from './observer.js';

/**
 * Reports each send to the observer: before it, and after its body is read or it failed. The
 * request id is server text (a server may echo a credential into it): redacted like the rest.
 */
export function createObserveStage(observer: Observer, redact: Redact): Stage {
  return async (request, next) => {
    const base = {
      method: request.method,
      url: request.url.href,
      attempt: request.attempt,
      replay: request.replay,
      authorization: request.headers.get('Authorization')?.split(' ', 1)[0],
      idempotencyKey: request.headers.get('Idempotency-Key') ?? undefined,
    };
    observer.attempt(base);
    const started = performance.now();
    const report = (status: number | undefined, requestId: string | undefined, error?: unknown) =>
      observer.response({
        ...base,
        status,
        requestId,
        elapsedMs: performance.now() - started,
        error: error === undefined ? undefined : describe(error),
      });
    let response: Response;
    try {
      response = await next(request);
    } catch (error) {
      report(undefined, undefined, error);
      throw error;
    }
    const requestId = response.headers.get('X-Request-Id');
    report(response.status, requestId === null ? undefined : redact(requestId));
    return response;
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
