import { DwollaRequestRefusedError } from '../errors.js';
import { toResponse } from '../transport/response.js';
import { headerRecord, withHeaders } from './headers.js';
import { replayableBody, type Encoded } from './request-body.js';
import type { DwollaRequest, Next } from './stage.js';

type Fetch = typeof globalThis.fetch;

// fetch upper-cases these method names only (https://fetch.spec.whatwg.org/#concept-method-normalize).
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function refusedInvalid(cause: unknown): DwollaRequestRefusedError {
  return new DwollaRequestRefusedError('Refused an invalid request (bad URL, method or headers)', {
    cause,
  });
}

/** The request, once its body is known: GET and HEAD take none (as fetch refuses). */
function withBody(request: DwollaRequest, encoded: Encoded): DwollaRequest {
  if (encoded.body !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
    throw refusedInvalid(new TypeError('Request with GET/HEAD method cannot have body.'));
  }
  const headers =
    encoded.contentType === undefined || 'content-type' in request.headers
      ? request.headers
      : withHeaders(request.headers, { 'content-type': encoded.contentType });
  return { ...request, headers, body: encoded.body };
}

/**
 * fetch's `(input, init)` as one replayable DwollaRequest, so every retry and the 401 replay send
 * the same bytes. A URL with init is normalized at once; a Request's body (or a Blob, FormData or
 * stream body) is read into bytes once, before the first send.
 */
export function fetchRequest(
  input: Parameters<Fetch>[0],
  init: RequestInit | undefined,
): DwollaRequest | Promise<DwollaRequest> {
  if (input instanceof Request) {
    let request: Request;
    try {
      request = init ? new Request(input, init) : input;
    } catch (cause) {
      throw refusedInvalid(cause);
    }
    return requestOf(request);
  }
  let request: DwollaRequest;
  try {
    const method = init?.method ?? 'GET';
    const upper = method.toUpperCase();
    request = {
      method: NORMALIZED_METHODS.has(upper) ? upper : method,
      url: input instanceof URL ? input : new URL(String(input)),
      headers: headerRecord(init?.headers),
      body: undefined,
      signal: init?.signal ?? undefined,
      deadline: undefined,
      attempt: 1,
      replay: false,
    };
  } catch (cause) {
    throw refusedInvalid(cause);
  }
  const encoded = replayableBody(init?.body, request.signal);
  return encoded instanceof Promise
    ? encoded.then((e) => withBody(request, e))
    : withBody(request, encoded);
}

async function requestOf(request: Request): Promise<DwollaRequest> {
  let body: Uint8Array | undefined;
  if (request.body !== null) {
    try {
      body = new Uint8Array(await request.arrayBuffer());
    } catch (cause) {
      throw new DwollaRequestRefusedError('Refused a request whose body could not be read', {
        cause,
      });
    }
  }
  return {
    method: request.method,
    url: new URL(request.url),
    headers: headerRecord(request.headers),
    body,
    signal: request.signal,
    deadline: undefined,
    attempt: 1,
    replay: false,
  };
}

/** The pipeline as a `fetch`: `dwolla.fetch`. */
export function createFetchSeam(call: Next): Fetch {
  return (input, init) => {
    let request: DwollaRequest | Promise<DwollaRequest>;
    try {
      request = fetchRequest(input, init);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const respond = (r: DwollaRequest) => call(r).then((answer) => toResponse(answer, r.url));
    return request instanceof Promise ? request.then(respond) : respond(request);
  };
}
