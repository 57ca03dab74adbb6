import { hasErrorCode } from './error-code.js';

/**
 * The send fast path, as the pipeline and a transport share it. `fetch`'s shape costs the client
 * a signal per attempt: an AbortController (plus AbortSignal.any when the caller passed one), a
 * listener on it, a timer, and the transport's own listener, which in Node 20 cost more CPU per
 * call than the whole pipeline. A transport that can bound an attempt itself
 * (`createUndiciFetch()`) carries a function under {@link FAST_SEND}: the send stage then hands
 * it the attempt as plain values, with the attempt's time limit, and only the caller's own
 * signal (if any). Any other `fetch` (global, or a user's) is called exactly as before.
 */

/**
 * The key of a transport's fast send. `Symbol.for`, so that every bundle of this package (each
 * entry point has its own copy of this module, ESM and CommonJS alike) names the same key.
 */
export const FAST_SEND = Symbol.for('dwolla-openapi-client.fastSend');

/** One attempt as the send stage hands it to a transport's fast send. */
export interface FastSendRequest {
  method: string;
  url: URL;
  /** Names in lower case; the transport's own object, for this attempt. */
  headers: Record<string, string>;
  /** Replayable (never a one-shot stream): the pipeline normalized it. */
  body: BodyInit | undefined;
  /** The caller's signal only: aborting it rejects with its reason, as fetch does. */
  signal: AbortSignal | undefined;
  /** No complete response (headers, body, decompression) within this: reject, see ATTEMPT_TIMED_OUT. */
  timeoutMs: number;
  /** The most bytes a response body may have, received and decoded (see response-limit.ts). */
  maxResponseBytes: number;
}

/**
 * Sends once, never following a redirect, and resolves with a Response whose body is in memory
 * (a buffered response, see buffered-response.ts); rejects as the transport's `fetch` does.
 */
export type FastSend = (request: FastSendRequest) => Promise<Response>;

/** The `code` of the error (or its `cause`) a fast send rejects with when `timeoutMs` passed. */
export const ATTEMPT_TIMED_OUT = 'ERR_DWOLLA_ATTEMPT_TIMED_OUT';

/** The transport's fast send, or undefined for a plain `fetch`. */
export function fastSendOf(transport: typeof globalThis.fetch): FastSend | undefined {
  const send = (transport as { [FAST_SEND]?: unknown })[FAST_SEND];
  return typeof send === 'function' ? (send as FastSend) : undefined;
}

/** True when `error` (a fast send's rejection) or its `cause` is the marked timeout. */
export function isAttemptTimeout(error: unknown): boolean {
  return hasErrorCode(error, ATTEMPT_TIMED_OUT);
}
