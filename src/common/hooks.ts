/**
 * Hooks to watch every attempt, response and retry (modelled on ky's hooks and openapi-fetch's
 * middleware, but read-only: they observe, they never change a request or a call's outcome). A
 * hook that throws, or returns a promise that rejects, is told once through `onWarning` and
 * otherwise ignored.
 */

/** What `hooks.onAttempt` is given before each send. */
export interface DwollaAttemptEvent {
  /** The request's method, e.g. `POST`. */
  method: string;
  /** Origin and path as sent; each query value `[REDACTED]`, its name kept. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** True for the one replay after a 401 with a refreshed token (same attempt number). */
  replay: boolean;
  /** The Authorization scheme sent (`Bearer`, `Basic`), never the credentials. */
  authorization: string | undefined;
  /** The request's `Idempotency-Key`, if it has one. */
  idempotencyKey: string | undefined;
}

/** What `hooks.onResponse` is given after each send. */
export interface DwollaResponseEvent extends DwollaAttemptEvent {
  /** The response status; undefined when the attempt failed without one. */
  status: number | undefined;
  /** Dwolla's `X-Request-Id`. */
  requestId: string | undefined;
  /** From sending to the whole body read (or the failure). */
  elapsedMs: number;
  /** Why the attempt failed without a response (its error's name and message, redacted). */
  error: string | undefined;
}

/** What `hooks.onRetry` is given when an attempt is going to be retried. */
export interface DwollaRetryEvent {
  /** The request's method. */
  method: string;
  /** Origin and path as sent; each query value `[REDACTED]`. */
  url: string;
  /** The attempt that failed and is being retried. */
  attempt: number;
  /** `HTTP 429`, `HTTP 503`, `network error`, `timeout`, … */
  reason: string;
  /** The failed attempt's status; undefined when it failed without one. */
  status: number | undefined;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

/** The client's `hooks` option: read-only observers of every attempt, response and retry. */
export interface DwollaHooks {
  /** Before each send (retries and the 401 replay included). */
  onAttempt?: (event: DwollaAttemptEvent) => void;
  /** After each send: its status (or error), request id and elapsed time. */
  onResponse?: (event: DwollaResponseEvent) => void;
  /** When an attempt is going to be retried, with the reason and the wait. */
  onRetry?: (event: DwollaRetryEvent) => void;
}
