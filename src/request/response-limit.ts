import { hasErrorCode } from './error-code.js';

/**
 * The response size cap, as the pipeline and a transport share it. `dwolla.fetch` reads at most
 * `maxResponseBytes` of each body (read-body.ts); a transport that buffers or decompresses a
 * body itself (`createUndiciFetch()`) must stop at the same limit, or a small gzip bomb expands
 * in memory before the pipeline ever counts a byte. So the send stage passes the limit with
 * each request, and a transport that exceeds it says so with a marked error.
 */

export { DEFAULT_MAX_RESPONSE_BYTES } from '../common/request-options.js';

/**
 * The `RequestInit` key under which the send stage passes `maxResponseBytes` to the transport.
 * `Symbol.for`, so that every bundle of this package (each entry point has its own copy of this
 * module) names the same key; any other `fetch` ignores it.
 */
export const MAX_RESPONSE_BYTES = Symbol.for('dwolla-openapi-client.maxResponseBytes');

/** The `code` of the error a transport gives (as a rejection's `cause`) for a body over the cap. */
export const RESPONSE_TOO_LARGE = 'ERR_DWOLLA_RESPONSE_TOO_LARGE';

/** True when `error` (a transport's rejection) or its `cause` is the marked too-large error. */
export function isResponseTooLarge(error: unknown): boolean {
  return hasErrorCode(error, RESPONSE_TOO_LARGE);
}
