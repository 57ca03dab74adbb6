import { DwollaApiError, DwollaError, type DwollaErrorDetail } from '../errors.js';
import { isObject, parseJson } from '../json.js';

export interface DwollaResult<T = unknown> {
  /** Parsed JSON body, or undefined when the body is empty (e.g. Dwolla's 201 with Location). */
  data: T;
  response: Response;
  /** The `Location` header as an absolute URL on the API origin (a 201's new resource), or undefined. */
  location?: string | undefined;
}

function errorDetails(body: unknown, redact: (text: string) => string): DwollaErrorDetail[] {
  const embedded = isObject(body) && isObject(body._embedded) ? body._embedded.errors : undefined;
  if (!Array.isArray(embedded)) return [];
  return embedded.filter(isObject).map((item) => {
    const detail: DwollaErrorDetail = {};
    if (typeof item.code === 'string') detail.code = redact(item.code);
    if (typeof item.message === 'string') detail.message = redact(item.message);
    if (typeof item.path === 'string') detail.path = redact(item.path);
    return detail;
  });
}

async function readText(response: Response, where: string): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    throw new DwollaError(`${where}: the response body could not be read`, {
      status: response.status,
      response,
      cause,
    });
  }
}

/**
 * Turns an API response into { data, response } on 2xx, or a DwollaApiError carrying Dwolla's
 * code, message and `_embedded.errors` (server text passed through `redact`).
 */
export async function readApiResponse<T>(
  response: Response,
  where: string,
  redact: (text: string) => string,
): Promise<DwollaResult<T>> {
  const parsed = parseJson(await readText(response, where));

  if (response.ok) {
    if (parsed.ok) return { data: parsed.value as T, response };
    throw new DwollaApiError(`${where}: HTTP ${response.status} with a body that is not JSON`, {
      status: response.status,
      response,
    });
  }

  const body = parsed.ok ? parsed.value : undefined;
  const code = isObject(body) && typeof body.code === 'string' ? redact(body.code) : undefined;
  const message = isObject(body) && typeof body.message === 'string' ? body.message : undefined;
  const summary = [code, message === undefined ? undefined : redact(message)]
    .filter((part) => part !== undefined)
    .join(': ');
  throw new DwollaApiError(
    `${where}: HTTP ${response.status}${summary === '' ? '' : ` ${summary}`}`,
    { status: response.status, code, response, body, details: errorDetails(body, redact) },
  );
}
