import { createAuthenticateStage, type AuthenticateOptions } from './authenticate.js';
import { classifyDestination } from '../auth/origin-policy.js';
import type { Redact } from './api-error.js';
import { createAttemptTimeoutStage, createTransportTimeoutStage } from './attempt-timeout.js';
import { fastSendOf } from './fast-send.js';
import { createIdempotencyKeyStage } from './idempotency-key.js';
import { normalizeRequest, type DwollaFetch } from './normalize-request.js';
import { createObserveStage } from './observe/observe-attempt.js';
import type { Observer } from './observe/observer.js';
import { createReadBodyStage } from './read-body.js';
import { createRetryStage } from './retry.js';
import { createSend } from './send.js';
import { composeStages } from './stage.js';
import { createThrowApiErrorsStage } from './throw-api-errors.js';

export interface PipelineOptions {
  transport: typeof globalThis.fetch;
  auth: AuthenticateOptions;
  redact: Redact;
  observer: Observer;
  requestTimeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/**
 * `dwolla.fetch`: the whole path of a call, in the order the stages run. Outside in:
 * idempotency key (once per call; a blank one is the caller's TypeError, so it sits outside the
 * errors stage), errors (only a 2xx resolves), retries, auth (a token per attempt,
 * the 401 replay inside the attempt), observation (one event per send; left out when there is
 * no hook or debug log to tell), the attempt timeout (headers and body), the bounded body read,
 * and the transport. A transport with a fast send (fast-send.ts) bounds each attempt itself:
 * the attempt-timeout stage then only says its errors.
 */
export function createDwollaFetch(options: PipelineOptions): DwollaFetch {
  const { apiOrigin, tokenUrl } = options.auth;
  const isTokenUrl = (url: URL) => classifyDestination(url, apiOrigin, tokenUrl) === 'token';
  const transportBounds = fastSendOf(options.transport) !== undefined;
  const call = composeStages(
    [
      createIdempotencyKeyStage(isTokenUrl),
      createThrowApiErrorsStage(options.redact),
      createRetryStage(options),
      createAuthenticateStage(options.auth),
      ...(options.observer.watchesAttempts
        ? [createObserveStage(options.observer, options.redact)]
        : []),
      transportBounds
        ? createTransportTimeoutStage(options.requestTimeoutMs)
        : createAttemptTimeoutStage(options.requestTimeoutMs),
      createReadBodyStage(options.maxResponseBytes),
    ],
    createSend(options.transport, options.maxResponseBytes, options.requestTimeoutMs),
  );
  return (input, init) => {
    let request: ReturnType<typeof normalizeRequest>;
    try {
      request = normalizeRequest(input, init);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return request instanceof Promise ? request.then(call) : call(request);
  };
}
