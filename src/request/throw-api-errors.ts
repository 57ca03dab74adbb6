import { DwollaError } from '../errors.js';
import { apiErrorFromResponse, type Redact } from './api-error.js';
import type { Stage } from './stage.js';

/**
 * The outermost stage: `dwolla.fetch` resolves only with a 2xx response; a final non-2xx
 * becomes a DwollaApiError (after the retries), and anything else thrown below that is not yet
 * a DwollaError is wrapped in one, so every failure a user sees is a DwollaError with a stack.
 */
export function createThrowApiErrorsStage(redact: Redact): Stage {
  return async (request, next) => {
    let response: Response;
    try {
      response = await next(request);
    } catch (error) {
      if (error instanceof DwollaError) throw error;
      throw new DwollaError(
        `Dwolla API ${request.method} ${request.url.pathname}: the request failed`,
        { cause: error },
      );
    }
    if (response.ok) return response;
    throw await apiErrorFromResponse(response, request, redact);
  };
}
