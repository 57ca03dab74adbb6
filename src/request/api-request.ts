import { DwollaRequestRefusedError } from '../errors.js';
import { HeaderMap } from './header-map.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key.js';
import type { PipelineInit } from './normalize-request.js';

export interface ApiRequestInit {
  headers?: HeadersInit;
  signal?: AbortSignal;
  /** A plain object or array is sent as JSON; string, Blob, FormData, URLSearchParams, bytes or a stream as is. */
  body?: unknown;
}

type Body = NonNullable<RequestInit['body']>;

function isRawBody(body: unknown): body is Body {
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

/**
 * Headers and body for one call; anything unencodable is refused before sending. The headers
 * (a HeaderMap, `Idempotency-Key` among them when one is given) go to the pipeline as they are.
 */
export function encodeRequest(
  method: string,
  init: ApiRequestInit,
  idempotencyKey?: string,
): PipelineInit {
  try {
    const headers = HeaderMap.from(init.headers);
    if (idempotencyKey !== undefined) headers.set(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
    const request: PipelineInit = { method, headers };
    if (init.signal) request.signal = init.signal;
    if (isRawBody(init.body)) {
      request.body = init.body;
      if (init.body instanceof ReadableStream) request.duplex = 'half';
    } else if (init.body !== undefined) {
      request.body = JSON.stringify(init.body);
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    }
    return request;
  } catch (cause) {
    throw new DwollaRequestRefusedError(
      'Refused a request whose headers or JSON body could not be encoded',
      { cause },
    );
  }
}
