import type { Redact } from '../api-error.js';
import type { Stage } from '../stage.js';
import type { Observer } from './observer.js';
import { describeError } from '../../common/user-callback.js';
import { eventUrl } from './event-url.js';

/**
 * Reports each send to the observer: before it, and after its body is read or it failed. The
 * request id is server text, and a failure's text may quote a transport's error (which may echo
 * what it sent): both redacted like the rest. The URL's query values are left out (event-url.ts).
 */
export function createObserveStage(observer: Observer, redact: Redact): Stage {
  return async (request, next) => {
    const base = {
      method: request.method,
      url: eventUrl(request.url),
      attempt: request.attempt,
      replay: request.replay,
      authorization: request.headers.authorization?.split(' ', 1)[0],
      idempotencyKey: request.headers['idempotency-key'],
    };
    observer.attempt(base);
    const started = performance.now();
    const report = (status: number | undefined, requestId: string | undefined, error?: unknown) =>
      observer.response({
        ...base,
        status,
        requestId,
        elapsedMs: performance.now() - started,
        error: error === undefined ? undefined : redact(describeError(error)),
      });
    let answer;
    try {
      answer = await next(request);
    } catch (error) {
      report(undefined, undefined, error);
      throw error;
    }
    const requestId = answer.headers['x-request-id'];
    report(answer.status, requestId === undefined ? undefined : redact(requestId));
    return answer;
  };
}
