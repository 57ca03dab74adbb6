import { DwollaRequestRefusedError } from '../errors.js';
import { headerRecord, withHeaders } from './headers.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key.js';
import { replayableBody, type Encoded } from './request-body.js';
import type { DwollaRequest } from './stage.js';

export interface ApiRequestInit {
  headers?: HeadersInit;
  signal?: AbortSignal;
  /** A plain object or array is sent as JSON; string, Blob, FormData, URLSearchParams, bytes or a stream as is. */
  body?: unknown;
}

function isRawBody(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream
  );
}

function refused(cause: unknown): DwollaRequestRefusedError {
  return new DwollaRequestRefusedError(
    'Refused a request whose headers or JSON body could not be encoded',
    { cause },
  );
}

/**
 * One call of `get` / `post` / `delete` as the pipeline's request: headers checked (with
 * `Idempotency-Key` when one is given), a plain object or array as JSON, any other body as fetch
 * would send it. Anything unencodable is refused before sending.
 */
export function encodeRequest(
  method: string,
  url: URL,
  init: ApiRequestInit,
  idempotencyKey?: string,
): DwollaRequest | Promise<DwollaRequest> {
  let request: DwollaRequest;
  let encoded: Encoded | Promise<Encoded>;
  try {
    let headers = headerRecord(init.headers);
    if (idempotencyKey !== undefined) {
      headers = withHeaders(headers, headerRecord([[IDEMPOTENCY_KEY_HEADER, idempotencyKey]]));
    }
    request = {
      method,
      url,
      headers,
      body: undefined,
      signal: init.signal,
      deadline: undefined,
      attempt: 1,
      replay: false,
    };
    encoded =
      init.body === undefined || isRawBody(init.body)
        ? replayableBody(init.body, init.signal)
        : { body: JSON.stringify(init.body), contentType: 'application/json' };
  } catch (cause) {
    throw cause instanceof DwollaRequestRefusedError ? cause : refused(cause);
  }
  const withBody = ({ body, contentType }: Encoded): DwollaRequest => ({
    ...request,
    body,
    headers:
      contentType === undefined || 'content-type' in request.headers
        ? request.headers
        : withHeaders(request.headers, { 'content-type': contentType }),
  });
  return encoded instanceof Promise ? encoded.then(withBody) : withBody(encoded);
}
