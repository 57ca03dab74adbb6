import { DwollaError, DwollaRequestRefusedError } from '../errors.js';
import { callerAbortError } from './abortable.js';
import { setApiHeaders, setTokenHeaders } from './headers.js';
import { classifyDestination } from './origin-policy.js';
import type { TokenCache } from './token-cache.js';

export interface AuthFetchOptions {
  /** The injected transport that actually sends requests. */
  fetch: typeof globalThis.fetch;
  /** `new URL(baseUrl).origin`: the only origin that receives the bearer token. */
  apiOrigin: string;
  /** The only URL that receives the Basic credentials. */
  tokenUrl: URL;
  /** `Basic …` value from basicAuthorization(). */
  basicAuthorization: string;
  tokens: TokenCache;
}

type Fetch = typeof globalThis.fetch;

/** One request, normalised once: what the auth layer checks and what it sends (twice on a 401). */
interface Outgoing {
  url: URL;
  method: string | undefined;
  headers: Headers;
  /** Replayable as is: never a one-shot stream. */
  body: BodyInit | undefined;
  signal: AbortSignal | undefined;
}

function refusedInvalid(cause: unknown): DwollaRequestRefusedError {
  return new DwollaRequestRefusedError('Refused an invalid request (bad URL, method or headers)', {
    cause,
  });
}

/**
 * A URL with init (as createDwollaClient sends) is taken as is, without building a Request: every
 * body it can carry, but a stream, can be sent twice. A Request (as the generated client sends),
 * or a stream body, is buffered once, before the first send, so a 401 replay sends the same bytes.
 */
async function normalize(
  input: Parameters<Fetch>[0],
  init: Parameters<Fetch>[1],
): Promise<Outgoing> {
  if (!(input instanceof Request) && !(init?.body instanceof ReadableStream)) {
    try {
      return {
        url: input instanceof URL ? input : new URL(String(input)),
        method: init?.method,
        // Only read: each send gets its own copy (below).
        headers: init?.headers instanceof Headers ? init.headers : new Headers(init?.headers),
        body: init?.body ?? undefined,
        signal: init?.signal ?? undefined,
      };
    } catch (cause) {
      throw refusedInvalid(cause);
    }
  }
  let request: Request;
  try {
    request = new Request(input, init);
  } catch (cause) {
    throw refusedInvalid(cause);
  }
  return {
    url: new URL(request.url),
    method: request.method,
    headers: new Headers(request.headers),
    body: await readBody(request),
    signal: request.signal,
  };
}

async function readBody(request: Request): Promise<ArrayBuffer | undefined> {
  if (request.body === null) return undefined;
  try {
    return await request.arrayBuffer();
  } catch (cause) {
    throw new DwollaRequestRefusedError('Refused a request whose body could not be read', {
      cause,
    });
  }
}

/**
 * A fetch-compatible function for the generated client (`createClient({ fetch })`):
 * - token URL: adds the Basic credentials (so generated createApplicationAccessToken works);
 * - API origin: adds Accept, User-Agent and the bearer token; on 401 invalidates that token
 *   (if still current), gets a fresh one and replays the request exactly once;
 * - anything else: rejects with DwollaRequestRefusedError before sending.
 */
export function createAuthFetch(options: AuthFetchOptions): Fetch {
  const { fetch: transport, apiOrigin, tokenUrl, basicAuthorization, tokens } = options;

  return async function authFetch(input, init) {
    const { url, method, headers, body, signal } = await normalize(input, init);
    const destination = classifyDestination(url, apiOrigin, tokenUrl);
    if (destination === 'refused') {
      throw new DwollaRequestRefusedError(
        `Refused to send a request to ${url.protocol}//${url.host}: only ${apiOrigin} (and the token URL) may receive credentials`,
      );
    }

    const send = async (sent: Headers): Promise<Response> => {
      try {
        return await transport(url.href, {
          method,
          headers: sent,
          body,
          signal,
          redirect: 'manual',
        });
      } catch (cause) {
        if (signal?.aborted) throw callerAbortError(signal);
        throw new DwollaError(`Request to ${url.origin} failed: network error`, { cause });
      }
    };

    if (destination === 'token') {
      return send(setTokenHeaders(new Headers(headers), basicAuthorization));
    }

    const token = await tokens.get(signal);
    const first = await send(setApiHeaders(new Headers(headers), token));
    if (first.status !== 401) return first;

    await first.body?.cancel();
    tokens.invalidate(token);
    const fresh = await tokens.get(signal);
    return send(setApiHeaders(new Headers(headers), fresh));
  };
}
