import { DwollaRequestRefusedError } from '../errors.js';
import { HeaderMap } from './header-map.js';
import type { DwollaRequest } from './stage.js';

type Fetch = typeof globalThis.fetch;

/**
 * fetch's init, or the client's own (api-request.ts), whose headers are a HeaderMap already
 * checked: taken as they are, no stage changes a request's headers in place.
 */
export type PipelineInit = Omit<RequestInit, 'headers'> & {
  headers?: HeadersInit | HeaderMap;
  duplex?: 'half';
};

/** The pipeline as a `fetch` that also takes a PipelineInit. */
export type DwollaFetch = (input: Parameters<Fetch>[0], init?: PipelineInit) => Promise<Response>;

function refusedInvalid(cause: unknown): DwollaRequestRefusedError {
  return new DwollaRequestRefusedError('Refused an invalid request (bad URL, method or headers)', {
    cause,
  });
}

async function readBody(source: Request | Response): Promise<ArrayBuffer | undefined> {
  if (source.body === null) return undefined;
  try {
    return await source.arrayBuffer();
  } catch (cause) {
    throw new DwollaRequestRefusedError('Refused a request whose body could not be read', {
      cause,
    });
  }
}

/**
 * Turns fetch's `(input, init)` into one replayable DwollaRequest, so every retry and the 401
 * replay send the same bytes. A URL with init is taken as is (string, bytes, Blob and
 * URLSearchParams bodies can be sent again); a Request, a stream or a FormData body is read
 * into bytes once, before the first send (FormData with its multipart boundary fixed). Only
 * that reading is asynchronous: anything else is normalized at once (no promise per call).
 */
export function normalizeRequest(
  input: Parameters<Fetch>[0],
  init: PipelineInit | undefined,
): DwollaRequest | Promise<DwollaRequest> {
  const body = init?.body ?? undefined;
  if (!(input instanceof Request) && !(body instanceof ReadableStream)) {
    let url: URL;
    let headers: HeaderMap;
    try {
      url = input instanceof URL ? input : new URL(String(input));
      const given = init?.headers;
      headers = given instanceof HeaderMap ? given : HeaderMap.from(given);
    } catch (cause) {
      throw refusedInvalid(cause);
    }
    const request: DwollaRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      url,
      headers,
      body,
      signal: init?.signal ?? undefined,
      attempt: 1,
      replay: false,
    };
    if (body instanceof FormData) {
      const encoded = new Response(body);
      request.headers.set('Content-Type', encoded.headers.get('Content-Type')!);
      return readBody(encoded).then((bytes) => ({ ...request, body: bytes }));
    }
    return request;
  }
  return normalizeFetchRequest(input, init);
}

/** A Request (or a stream body): read once into bytes. */
async function normalizeFetchRequest(
  input: Parameters<Fetch>[0],
  init: PipelineInit | undefined,
): Promise<DwollaRequest> {
  let request: Request;
  try {
    const headers = init?.headers;
    request = new Request(input, {
      ...init,
      headers: headers instanceof HeaderMap ? headers.toHeaders() : headers,
    } as RequestInit);
  } catch (cause) {
    throw refusedInvalid(cause);
  }
  return {
    method: request.method.toUpperCase(),
    url: new URL(request.url),
    headers: HeaderMap.from(request.headers),
    body: await readBody(request),
    signal: request.signal,
    attempt: 1,
    replay: false,
  };
}
