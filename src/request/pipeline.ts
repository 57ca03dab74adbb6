import type { Runtime } from '../common/runtime.js';
import type { DwollaTransport } from '../transport/transport.js';
import type { Redact } from './api-error.js';
import { createAuthenticateStage, type AuthenticateOptions } from './authenticate.js';
import { createCallDeadlineStage } from './call-deadline.js';
import { createIdempotencyKeyStage } from './idempotency-key.js';
import { createObserveStage } from './observe/observe-attempt.js';
import type { Observer } from './observe/observer.js';
import { createRetryStage } from './retry.js';
import { createSend } from './send.js';
import { composeStages, type Next } from './stage.js';
import { createThrowApiErrorsStage } from './throw-api-errors.js';

export interface PipelineOptions {
  transport: DwollaTransport;
  auth: AuthenticateOptions;
  /** True for the token URL, which carries no idempotency key. */
  isTokenUrl: (url: URL) => boolean;
  redact: Redact;
  observer: Observer;
  attemptTimeoutMs: number;
  callTimeoutMs: number | undefined;
  maxRetries: number;
  maxResponseBytes: number;
  runtime: Runtime;
}

/**
 * The whole path of a call, in the order the stages run. Outside in: idempotency key (once per
 * call; a blank one is the caller's TypeError, so it sits outside the errors stage), errors (only
 * a 2xx answer resolves), the call's deadline (when `callTimeoutMs` is set), retries, auth (a
 * token per attempt, the 401 replay inside the attempt), observation (one event per send; left
 * out when there is no hook or debug log to tell), and the send: one exchange on the transport,
 * bounded in time and size. Every call takes it: `get` / `post` / `delete`, `dwolla.fetch` and
 * the generated operations (`dwolla.client`: operation-client.ts).
 */
export function createPipeline(options: PipelineOptions): Next {
  const { callTimeoutMs, observer, redact, runtime } = options;
  return composeStages(
    [
      createIdempotencyKeyStage(options.isTokenUrl),
      createThrowApiErrorsStage(redact),
      ...(callTimeoutMs === undefined ? [] : [createCallDeadlineStage(callTimeoutMs)]),
      createRetryStage({ maxRetries: options.maxRetries, runtime, observer }),
      createAuthenticateStage(options.auth),
      ...(observer.watchesAttempts ? [createObserveStage(observer, redact)] : []),
    ],
    createSend(options),
  );
}
