/**
 * The transport on a `fetch` function: the global one where Node's dispatcher cannot be used,
 * or the caller's own (`createDwollaClient({ fetch })`). Each exchange gets an AbortController
 * of its own (never the caller's signal: a fetch keeps a listener on the signal it is given
 * until its Request is garbage-collected), `redirect: 'manual'`, and its body read here, at
 * most `maxResponseBytes`. A fetch that follows a redirect anyway (`response.redirected`, or
 * another `response.url`) is not trusted: its answer is dropped.
 */
import { concatBytes } from './bytes.js';
import { exchange } from './exchange.js';
import { TransportError, type DwollaTransport, type DwollaTransportRequest } from './transport.js';

const EMPTY = new Uint8Array(0);

function tooLarge(limit: number): TransportError {
  return new TransportError('too-large', `the response body is larger than ${limit} bytes`);
}

/** Cancels a body nobody will read, so the transport releases the connection. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

function followedRedirect(request: DwollaTransportRequest, response: Response): boolean {
  const sent = request.url.href.split('#', 1)[0];
  return response.redirected || (response.url !== '' && response.url !== sent);
}

/** The whole body, at most `limit` bytes (as received, decoded by fetch). */
async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  if (response.body === null) return EMPTY;
  const declared = Number(response.headers.get('Content-Length') ?? NaN);
  if (declared > limit) {
    discard(response);
    throw tooLarge(limit);
  }
  // A declared length bounds an unencoded body: read it in one go.
  if (declared >= 0 && !response.headers.has('Content-Encoding')) {
    return new Uint8Array(await response.arrayBuffer());
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, size);
}

function headerRecord(headers: Headers): Record<string, string> {
  const record = Object.create(null) as Record<string, string>;
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

export function fetchTransport(fetch: typeof globalThis.fetch): DwollaTransport {
  return {
    send: (request) =>
      exchange(request, (settle) => {
        const controller = new AbortController();
        let response: Response | undefined;
        let stopped = false;
        const answer = async () => {
          response = await fetch(request.url.href, {
            method: request.method,
            headers: request.headers,
            body: request.body as BodyInit | undefined,
            redirect: 'manual',
            signal: controller.signal,
          });
          // Ended already (a fetch that ignores its signal answers late): dropped unread.
          if (stopped) return discard(response);
          if (followedRedirect(request, response)) {
            discard(response);
            throw new TransportError(
              'redirected',
              "the fetch followed a redirect although redirect: 'manual' was asked; its answer was dropped",
            );
          }
          const { status } = response;
          let body: Uint8Array;
          try {
            body = await readBody(response, request.maxResponseBytes);
          } catch (cause) {
            if (cause instanceof TransportError) throw cause;
            throw new TransportError(
              'interrupted',
              'the connection failed while reading the response',
              { cause, status },
            );
          }
          return {
            status,
            statusText: response.statusText,
            headers: headerRecord(response.headers),
            body,
          };
        };
        answer().then((response) => response && settle.resolve(response), settle.reject);
        return (reason) => {
          stopped = true;
          controller.abort(reason);
          if (response) discard(response);
        };
      }),
  };
}
