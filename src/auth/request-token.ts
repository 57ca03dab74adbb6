import { DwollaTokenError } from '../errors.js';
import { fullJitterDelay } from '../common/backoff.js';
import { retryAfterMs } from '../common/retry-after.js';
import { abortable } from '../common/abort.js';
import { FORM_CONTENT_TYPE, TOKEN_REQUEST_BODY, setTokenHeaders } from './headers.js';
import { parseTokenResponse, type TokenSet } from './token-response.js';

export interface RequestTokenOptions {
  /** The injected transport; the token request never goes through the auth layer. */
  fetch: typeof globalThis.fetch;
  tokenUrl: string;
  /** `Basic …` value from basicAuthorization(). */
  authorization: string;
  /** Bounds the whole acquisition, retries included. */
  timeoutMs: number;
  /** Retries after the first attempt, for 5xx, 429 and network errors. */
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): jitter source. */
  random: () => number;
  /** Removes the credentials from server text (the OAuth `error` code may echo them). */
  redact: (text: string) => string;
}

export const BASE_RETRY_DELAY_MS = 250;

function isRetryable(error: DwollaTokenError): boolean {
  const { status } = error;
  return status === undefined || status === 429 || status >= 500;
}

async function attempt(options: RequestTokenOptions, signal: AbortSignal): Promise<TokenSet> {
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(options.tokenUrl, {
      method: 'POST',
      headers: setTokenHeaders(
        new Headers({ 'Content-Type': FORM_CONTENT_TYPE }),
        options.authorization,
      ),
      body: TOKEN_REQUEST_BODY,
      redirect: 'manual',
      signal,
    });
    text = await response.text();
  } catch (cause) {
    throw new DwollaTokenError('Dwolla token endpoint: network error', { cause });
  }
  return parseTokenResponse(response, text, options.redact);
}

/**
 * POST tokenUrl with client_secret_basic credentials, check the answer, retry transient
 * failures (at most `maxRetries` times, jittered backoff), all within one `timeoutMs`.
 */
export async function requestToken(options: RequestTokenOptions): Promise<TokenSet> {
  const timeoutError = new DwollaTokenError(
    `Dwolla token endpoint: no valid answer within ${options.timeoutMs} ms`,
  );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError), options.timeoutMs);
  const signal = controller.signal;
  const onTimeout = () => timeoutError;
  const deadline = performance.now() + options.timeoutMs;
  try {
    for (let retries = 0; ; retries++) {
      let delay: number;
      try {
        return await abortable(attempt(options, signal), signal, onTimeout);
      } catch (error) {
        if (signal.aborted) throw timeoutError;
        const tokenError = error as DwollaTokenError;
        if (retries >= options.maxRetries || !isRetryable(tokenError)) throw tokenError;
        // Never sooner than the server's Retry-After; and when that is past the deadline, the
        // server's answer is a better error than a timeout.
        const asked = retryAfterMs(tokenError.response) ?? 0;
        delay = Math.max(fullJitterDelay(retries, options.random, BASE_RETRY_DELAY_MS), asked);
        if (asked > 0 && performance.now() + delay >= deadline) throw tokenError;
      }
      await abortable(options.sleep(delay), signal, onTimeout);
    }
  } finally {
    clearTimeout(timer);
  }
}
