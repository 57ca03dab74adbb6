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

function toRequest(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): Request {
  try {
    return new Request(input, init);
  } catch (cause) {
    throw new DwollaRequestRefusedError('Refused an invalid request (bad URL, method or headers)', {
      cause,
    });
  }
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
    const request = toRequest(input, init);
    const url = new URL(request.url);
    const destination = classifyDestination(url, apiOrigin, tokenUrl);
    if (destination === 'refused') {
      throw new DwollaRequestRefusedError(
        `Refused to send a request to ${url.protocol}//${url.host}: only ${apiOrigin} (and the token URL) may receive credentials`,
      );
    }

    // Buffered once, before the first send, so a 401 replay sends the very same bytes.
    const body = await readBody(request);
    const { signal } = request;
    const send = async (headers: Headers): Promise<Response> => {
      try {
        return await transport(request.url, {
          method: request.method,
          headers,
          body,
          signal,
          redirect: 'manual',
        });
      } catch (cause) {
        if (signal.aborted) throw callerAbortError(signal);
        throw new DwollaError(`Request to ${url.origin} failed: network error`, { cause });
      }
    };

    if (destination === 'token') {
      return send(setTokenHeaders(new Headers(request.headers), basicAuthorization));
    }

    const token = await tokens.get(signal);
    const first = await send(setApiHeaders(new Headers(request.headers), token));
    if (first.status !== 401) return first;

    await first.body?.cancel();
    tokens.invalidate(token);
    const fresh = await tokens.get(signal);
    return send(setApiHeaders(new Headers(request.headers), fresh));
  };
}
