import { parseJson } from '../json.js';
import { readText } from './api-error.js';

export interface DwollaResult<T = unknown> {
  /** Parsed JSON body; undefined when the body is empty (Dwolla's 201 with Location) or not JSON. */
  data: T;
  response: Response;
  /** The `Location` header as an absolute URL on the API origin (a 201's new resource), or undefined. */
  location?: string | undefined;
}

/**
 * Turns the 2xx response `dwolla.fetch` resolved with into { data, response } (non-2xx never get
 * here: dwolla.fetch threw them). A 2xx is never turned into an error, since the request was
 * processed: a body that is not JSON leaves `data` undefined and is told once through `warn`.
 */
export async function readApiResponse<T>(
  response: Response,
  where: string,
  warn: (message: string) => void,
): Promise<DwollaResult<T>> {
  const text = await readText(response, where);
  const parsed = parseJson(text);
  if (parsed.ok) return { data: parsed.value as T, response };
  const type = response.headers.get('Content-Type') ?? 'no Content-Type';
  const bytes = new TextEncoder().encode(text).length;
  warn(
    `dwolla-openapi-client: ${where}: HTTP ${response.status} with a body that is not JSON ` +
      `(${type}, ${bytes} bytes): data left undefined`,
  );
  return { data: undefined as T, response };
}
