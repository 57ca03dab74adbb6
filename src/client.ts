import { createAuthFetch } from './auth/auth-fetch.js';
import { basicAuthorization } from './auth/client-secret-basic.js';
import { resolveClientOptions, type DwollaClientOptions } from './auth/client-options.js';
import { redactSecrets } from './auth/redact.js';
import { requestToken } from './auth/request-token.js';
import { resolveTarget, type DwollaQuery, type DwollaTarget } from './auth/target.js';
import { createTokenCache } from './auth/token-cache.js';
import {
  DwollaApiError,
  DwollaError,
  DwollaRequestRefusedError,
  type DwollaErrorDetail,
} from './errors.js';
import { createClient, createConfig, type Client } from './generated/client/index.js';
import type { ClientOptions } from './generated/types.gen.js';

export const MAX_TOKEN_RETRIES = 2;

export interface DwollaResult<T = unknown> {
  /** Parsed JSON body, or undefined when the body is empty (e.g. Dwolla's 201 with Location). */
  data: T;
  response: Response;
}

export interface DwollaGetOptions {
  query?: DwollaQuery;
  headers?: HeadersInit;
  signal?: AbortSignal;
}

export interface DwollaPostOptions {
  headers?: HeadersInit;
  signal?: AbortSignal;
}

export interface DwollaDeleteOptions {
  signal?: AbortSignal;
}

export interface DwollaClient {
  /** The current access token, fetched or reused. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>;
  get<T = unknown>(target: DwollaTarget, options?: DwollaGetOptions): Promise<DwollaResult<T>>;
  /** A plain object or array is sent as JSON; string, Blob, FormData, URLSearchParams, bytes or a stream as is. */
  post<T = unknown>(
    target: DwollaTarget,
    body?: unknown,
    options?: DwollaPostOptions,
  ): Promise<DwollaResult<T>>;
  delete<T = unknown>(
    target: DwollaTarget,
    options?: DwollaDeleteOptions,
  ): Promise<DwollaResult<T>>;
  /** The generated client, configured: pass `{ client: dwolla.client }` to any generated operation. */
  readonly client: Client;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Headers and body for one call; anything unencodable is refused before sending. */
function encodeRequest(
  method: string,
  init: { headers?: HeadersInit; signal?: AbortSignal; body?: unknown },
): RequestInit & { duplex?: 'half' } {
  try {
    const headers = new Headers(init.headers);
    const request: RequestInit & { duplex?: 'half' } = { method, headers };
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

/**
 * Creates a Dwolla client. Options are checked here (TypeError naming the option).
 * Credentials and tokens live only in closures: util.inspect and JSON.stringify of the
 * client show its base URL and nothing else.
 */
export function createDwollaClient(options: DwollaClientOptions): DwollaClient {
  const resolved = resolveClientOptions(options);
  const { key, secret, baseUrl, apiOrigin, tokenUrl, fetch: transport } = resolved;
  const authorization = basicAuthorization(key, secret);
  const recentTokens: string[] = [];

  const tokens = createTokenCache({
    now: resolved.clock,
    fetchToken: async () => {
      const tokenSet = await requestToken({
        fetch: transport,
        tokenUrl: tokenUrl.href,
        authorization,
        timeoutMs: resolved.timeoutMs,
        maxRetries: MAX_TOKEN_RETRIES,
        sleep: resolved.sleep,
        random: resolved.random,
      });
      recentTokens.unshift(tokenSet.accessToken);
      recentTokens.length = Math.min(recentTokens.length, 2);
      return tokenSet;
    },
  });

  const authFetch = createAuthFetch({
    fetch: transport,
    apiOrigin,
    tokenUrl,
    basicAuthorization: authorization,
    tokens,
  });

  const client = createClient(createConfig<ClientOptions>({ baseUrl, fetch: authFetch }));
  const redact = (text: string) =>
    redactSecrets(text, [secret, key, authorization.slice('Basic '.length), ...recentTokens]);

  async function call<T>(
    method: string,
    target: DwollaTarget,
    init: { query?: DwollaQuery; headers?: HeadersInit; signal?: AbortSignal; body?: unknown },
  ): Promise<DwollaResult<T>> {
    const url = resolveTarget(target, baseUrl, init.query);
    const request = encodeRequest(method, init);
    const response = await authFetch(url, request);
    const where = `Dwolla API ${method} ${url.pathname}`;
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

  const describe = () => ({ baseUrl });
  return {
    getAccessToken: (opts) => tokens.get(opts?.signal),
    get: (target, opts = {}) => call('GET', target, opts),
    post: (target, body, opts = {}) => call('POST', target, { ...opts, body }),
    delete: (target, opts = {}) => call('DELETE', target, opts),
    client,
    toJSON: describe,
    [Symbol.for('nodejs.util.inspect.custom')]: () => `DwollaClient ${JSON.stringify(describe())}`,
  } as DwollaClient;
}
