import { redactCauses } from '../common/redact.js';
import { DwollaError } from '../errors.js';
import { apiErrorFromAnswer, type Redact } from './api-error.js';
import type { Stage } from './stage.js';

/**
 * The outermost stage but the idempotency key's: a call resolves only with a 2xx answer; a final
 * non-2xx becomes a DwollaApiError (after the retries), and anything else thrown below that is
 * not yet a DwollaError is wrapped in one, so every failure a user sees is a DwollaError with a
 * stack; the causes it carries are redacted.
 */
export function createThrowApiErrorsStage(redact: Redact): Stage {
  return async (request, next) => {
    let answer;
    try {
      answer = await next(request);
    } catch (error) {
      // Causes are a transport's own errors, which may quote what they sent: redacted.
      if (error instanceof DwollaError) throw redactCauses(error, redact);
      throw redactCauses(
        new DwollaError(
          `Dwolla API ${request.method} ${request.url.pathname}: the request failed`,
          {
            cause: error,
          },
        ),
        redact,
      );
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw apiErrorFromAnswer(answer, request, redact);
  };
}
