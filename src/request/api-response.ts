import { bodyText, parseJson } from '../json.js';
import { toResponse } from '../transport/response.js';
import type { DwollaAnswer } from './stage.js';

/** What `get`, `post` and `delete` resolve on 2xx. */
export interface DwollaResult<T = unknown> {
  /** Parsed JSON body; undefined when the body is empty (Dwolla's 201 with Location) or not JSON. */
  data: T;
  /** The answer as a WHATWG Response (built when first read; its body can still be read). */
  response: Response;
  /** The `Location` header as an absolute URL on the API origin (a 201's new resource), or undefined. */
  location?: string | undefined;
}

/**
 * Turns a call's 2xx answer into { data, response } (non-2xx never get here: the pipeline threw
 * them). A 2xx is never turned into an error, since the request was processed: a body that is
 * not JSON leaves `data` undefined and is told once through `warn`. `response` is built only if
 * read.
 */
export function readApiResponse<T>(
  answer: DwollaAnswer,
  url: URL,
  where: string,
  warn: (message: string) => void,
): DwollaResult<T> {
  const parsed = parseJson(bodyText(answer.body));
  if (!parsed.ok) {
    const type = answer.headers['content-type'] ?? 'no Content-Type';
    warn(
      `dwolla-openapi-client: ${where}: HTTP ${answer.status} with a body that is not JSON ` +
        `(${type}, ${answer.body.byteLength} bytes): data left undefined`,
    );
  }
  let response: Response | undefined;
  return {
    data: (parsed.ok ? parsed.value : undefined) as T,
    get response() {
      return (response ??= toResponse(answer, url));
    },
    location: undefined,
  };
}
