import { DwollaApiError } from '../errors.js';
import { parseJson } from '../json.js';
import { readText, type Redact } from './api-error.js';

export interface DwollaResult<T = unknown> {
  /** Parsed JSON body, or undefined when the body is empty (e.g. Dwolla's 201 with Location). */
  data: T;
  response: Response;
  /** The `Location` header as an absolute URL on the API origin (a 201's new resource), or undefined. */
  location?: string | undefined;
}

/**
 * Turns the 2xx response `dwolla.fetch` resolved with into { data, response }; a body that is
 * not JSON is a DwollaApiError (non-2xx never get here: dwolla.fetch threw them).
 */
export async function readApiResponse<T>(
  response: Response,
  where: string,
  redact: Redact,
): Promise<DwollaResult<T>> {
  const parsed = parseJson(await readText(response, where));
  if (parsed.ok) return { data: parsed.value as T, response };
  const requestId = response.headers.get('X-Request-Id');
  throw new DwollaApiError(`${where}: HTTP ${response.status} with a body that is not JSON`, {
    status: response.status,
    response,
    requestId: requestId === null ? undefined : redact(requestId),
  });
}
