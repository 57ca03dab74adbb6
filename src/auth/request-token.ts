import { fullJitterDelay } from '../common/backoff.js';
import { retryAfterMs } from '../common/retry-after.js';
import type { Runtime } from '../common/runtime.js';
import { DwollaTokenError } from '../errors.js';
import {
  isTransportFailure,
  type DwollaTransport,
  type DwollaTransportResponse,
} from '../transport/transport.js';
import { FORM_CONTENT_TYPE, TOKEN_REQUEST_BODY, tokenHeaders } from './headers.js';
import { parseTokenResponse, type TokenSet } from './token-response.js';

export interface RequestTokenOptions {
  /** The client's transport; the token request never goes through the request pipeline. */
  transport: DwollaTransport;
  tokenUrl: URL;
  /** `Basic …` value from basicAuthorization(). */
  authorization: string;
  /** Bounds the whole acquisition, retries included. */
  timeoutMs: number;
  /** Retries after the first attempt, for 5xx, 429 and network errors. */
  maxRetries: number;
  /** The largest token response body read, as for every response (`maxResponseBytes`). */
  maxResponseBytes: number;
  runtime: Runtime;
  /** Removes the credentials from server text (the OAuth `error` code may echo them). */
  redact: (text: string) => string;
}

export const BASE_RETRY_DELAY_MS = 250;

/** 5xx, 429 and network errors; a body over the cap is not fixed by asking again. */
function isRetryable(error: DwollaTokenError): boolean {
  const { status } = error;
  if (isTransportFailure(error.cause, 'too-large')) return false;
  return status === undefined || status === 429 || status >= 500;
}

async function attempt(options: RequestTokenOptions, timeoutMs: number): Promise<TokenSet> {
  let answer: DwollaTransportResponse;
  try {
    answer = await options.transport.send({
      method: 'POST',
      url: options.tokenUrl,
      headers: { ...tokenHeaders(options.authorization), 'content-type': FORM_CONTENT_TYPE },
      body: TOKEN_REQUEST_BODY,
      timeoutMs,
      signal: undefined,
      maxResponseBytes: options.maxResponseBytes,
    });
  } catch (cause) {
    const reason = isTransportFailure(cause, 'too-large')
      ? `the response body is larger than ${options.maxResponseBytes} bytes (maxResponseBytes)`
      : 'network error';
    throw new DwollaTokenError(`Dwolla token endpoint: ${reason}`, { cause });
  }
  return parseTokenResponse(answer, options.tokenUrl, options.redact);
}

/**
 * POST tokenUrl with client_secret_basic credentials, check the answer, retry transient
 * failures (at most `maxRetries` times, jittered backoff), all within one `timeoutMs`: each
 * attempt gets what is left of it, and a wait that would not leave time for another attempt
 * is not started (the last answer is the error).
 */
export async function requestToken(options: RequestTokenOptions): Promise<TokenSet> {
  const { runtime } = options;
  const timedOut = () =>
    new DwollaTokenError(`Dwolla token endpoint: no valid answer within ${options.timeoutMs} ms`);
  // Real time (the timers are real), not the runtime's token clock.
  const deadline = performance.now() + options.timeoutMs;
  for (let retries = 0; ; retries++) {
    const left = deadline - performance.now();
    if (left <= 0) throw timedOut();
    let delay: number;
    try {
      return await attempt(options, Math.ceil(left));
    } catch (error) {
      const tokenError = error as DwollaTokenError;
      // An attempt is given what is left of the deadline: its time limit is the deadline's.
      if (isTransportFailure(tokenError.cause, 'timeout')) throw timedOut();
      if (retries >= options.maxRetries || !isRetryable(tokenError)) throw tokenError;
      // Never sooner than the server's Retry-After. A wait that would end at or after the
      // deadline is not started (as the request pipeline's retries): no attempt could follow it,
      // and the server's answer is a better error than a timeout.
      const asked = retryAfterMs(retryAfterHeaders(tokenError)) ?? 0;
      delay = Math.max(fullJitterDelay(retries, runtime.random, BASE_RETRY_DELAY_MS), asked);
      if (performance.now() + delay >= deadline) throw tokenError;
    }
    await runtime.sleep(delay);
  }
}

/** The headers of the answer a DwollaTokenError carries, for its Retry-After. */
function retryAfterHeaders(error: DwollaTokenError): Record<string, string> | undefined {
  const value = error.response?.headers.get('Retry-After');
  return value === null || value === undefined ? undefined : { 'retry-after': value };
}
