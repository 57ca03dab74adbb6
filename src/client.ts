import { basicAuthorization, formUrlEncode } from './auth/client-secret-basic.js';
import { classifyDestination } from './auth/origin-policy.js';
import { requestToken } from './auth/request-token.js';
import { createSharedTokens } from './auth/shared-token.js';
import { createTokenCache } from './auth/token-cache.js';
import { createTokenTrust } from './auth/token-trust.js';
import { resolveClientOptions, type DwollaClientOptions } from './common/client-options.js';
import { redactCauses, redactSecrets } from './common/redact.js';
import { resolveRequestOptions } from './common/request-options.js';
import { DEFAULT_RUNTIME, type Runtime } from './common/runtime.js';
import { resolveTarget, type DwollaQuery, type DwollaTarget } from './common/target.js';
import { createUploadDocument, type DwollaUploadDocument } from './documents/upload-document.js';
import type { Client } from './generated/client/index.js';
import { createdLocation, locationOfResult } from './links/created-location.js';
import { createPaginate, type DwollaPaginate } from './pagination/paginate.js';
import { encodeRequest, type ApiRequestInit } from './request/api-request.js';
import { readApiResponse, type DwollaResult } from './request/api-response.js';
import { createFetchSeam } from './request/fetch-seam.js';
import { createDebugLog } from './request/observe/debug-log.js';
import { createObserver } from './request/observe/observer.js';
import { createOperationClient } from './request/operation-client.js';
import { createPipeline } from './request/pipeline.js';
import { createDefaultTransport } from './transport/default-transport.js';
import { fetchTransport } from './transport/fetch-transport.js';

export type { DwollaResult };

export const MAX_TOKEN_RETRIES = 2;

/** Options of `dwolla.get`. */
export interface DwollaGetOptions {
  /** Query parameters, added to the target's own. */
  query?: DwollaQuery;
  /** More request headers (Authorization and Accept are the client's). */
  headers?: HeadersInit;
  /** Ends the call (and any wait between retries) when aborted: a `DwollaAbortError`. */
  signal?: AbortSignal;
}

/** Options of `dwolla.post`. */
export interface DwollaPostOptions {
  /** More request headers, e.g. `Idempotency-Key`. */
  headers?: HeadersInit;
  /** Ends the call (and any wait between retries) when aborted: a `DwollaAbortError`. */
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` (default: a fresh UUID v4 for this call, kept on every retry). */
  idempotencyKey?: string;
}

/** Options of `dwolla.delete`. */
export interface DwollaDeleteOptions {
  /** Ends the call (and any wait between retries) when aborted: a `DwollaAbortError`. */
  signal?: AbortSignal;
}

/** A Dwolla client, made by {@link createDwollaClient}. */
export interface DwollaClient {
  /** The current access token, fetched or reused. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>;
  /** GET a path, URL or HAL link: `{ data, response }` on 2xx, a `DwollaError` otherwise. */
  get<T = unknown>(target: DwollaTarget, options?: DwollaGetOptions): Promise<DwollaResult<T>>;
  /** A plain object or array is sent as JSON; string, Blob, FormData, URLSearchParams, bytes or a stream as is. */
  post<T = unknown>(
    target: DwollaTarget,
    body?: unknown,
    options?: DwollaPostOptions,
  ): Promise<DwollaResult<T>>;
  /** DELETE a path, URL or HAL link: `{ data, response }` on 2xx, a `DwollaError` otherwise. */
  delete<T = unknown>(
    target: DwollaTarget,
    options?: DwollaDeleteOptions,
  ): Promise<DwollaResult<T>>;
  /**
   * The request pipeline as a `fetch`: credentials, idempotency key, retries, timeouts, bounded
   * body. Resolves only with a 2xx Response (its body buffered); rejects with a DwollaError
   * otherwise. Give it to any fetch-based client (openapi-fetch, another generator).
   */
  readonly fetch: typeof globalThis.fetch;
  /**
   * hey-api's client-fetch `Client`, on this client's pipeline: pass `{ client: dwolla.client }`
   * to any generated operation.
   */
  readonly client: Client;
  /** Every item of a list, page after page over `_links.next` (README: Pagination). */
  paginate: DwollaPaginate;
  /** Uploads a document as multipart/form-data (README: Document upload). */
  uploadDocument: DwollaUploadDocument;
  /** The checked `Location` of a generated operation's result (or a Response), as `post` gives it. */
  locationOf(result: { response: Response } | Response): string | undefined;
}

/**
 * Creates a Dwolla client. Options are checked here (TypeError naming the option).
 * Credentials and tokens live only in closures: util.inspect and JSON.stringify of the
 * client show its base URL and nothing else.
 */
export function createDwollaClient(options: DwollaClientOptions): DwollaClient {
  return createDwollaClientWith(options, DEFAULT_RUNTIME);
}

/**
 * createDwollaClient on a given clock, waits and jitter (src/common/runtime.ts): the tests' way
 * in. Not exported by the package.
 */
export function createDwollaClientWith(
  options: DwollaClientOptions,
  runtimeOverrides: Partial<Runtime>,
): DwollaClient {
  const runtime: Runtime = { ...DEFAULT_RUNTIME, ...runtimeOverrides };
  const resolved = resolveClientOptions(options);
  const pipeline = resolveRequestOptions(options);
  const { key, secret, baseUrl, apiOrigin, tokenUrl } = resolved;
  const transport =
    resolved.transport ??
    (resolved.fetch ? fetchTransport(resolved.fetch) : createDefaultTransport());
  const authorization = basicAuthorization(key, secret);
  const recentTokens: string[] = [];
  // The credentials as given, as form-encoded into the Basic value, and that value itself.
  const credentials = [secret, key, formUrlEncode(secret), formUrlEncode(key)];
  credentials.push(authorization.slice('Basic '.length));
  const redact = (text: string) => redactSecrets(text, [...credentials, ...recentTokens]);
  // Warnings may quote server text (a Location's host, a Content-Type): redacted like errors.
  const warn = (message: string) => resolved.onWarning(redact(message));

  const requestNewToken = () =>
    requestToken({
      transport,
      tokenUrl,
      authorization,
      timeoutMs: resolved.tokenTimeoutMs,
      maxRetries: MAX_TOKEN_RETRIES,
      maxResponseBytes: pipeline.maxResponseBytes,
      runtime,
      redact,
    });
  const shared = resolved.tokenStore
    ? createSharedTokens({
        store: resolved.tokenStore,
        key,
        secret,
        tokenUrl: tokenUrl.href,
        timeoutMs: resolved.tokenTimeoutMs,
        requestToken: requestNewToken,
        onWarning: resolved.onWarning,
      })
    : undefined;

  const tokens = createTokenCache({
    now: runtime.now,
    fetchToken: async () => {
      const tokenSet = await (shared?.fetchToken ?? requestNewToken)().catch((error: unknown) => {
        // A transport's error in the cause may quote the Basic credentials it was sent.
        throw redactCauses(error, redact);
      });
      recentTokens.unshift(tokenSet.accessToken);
      recentTokens.length = Math.min(recentTokens.length, 2);
      return tokenSet;
    },
    onInvalidate: shared?.invalidate,
    onWarning: resolved.onWarning,
  });

  const send = createPipeline({
    transport,
    auth: {
      apiOrigin,
      tokenUrl,
      basicAuthorization: authorization,
      tokens,
      trust: createTokenTrust(runtime.now),
    },
    isTokenUrl: (url) => classifyDestination(url, apiOrigin, tokenUrl) === 'token',
    redact,
    observer: createObserver(
      pipeline.hooks,
      createDebugLog(pipeline.debug),
      resolved.onWarning,
      redact,
    ),
    attemptTimeoutMs: pipeline.attemptTimeoutMs,
    callTimeoutMs: pipeline.callTimeoutMs,
    maxRetries: pipeline.maxRetries,
    maxResponseBytes: pipeline.maxResponseBytes,
    runtime,
  });
  const dwollaFetch = createFetchSeam(send);

  // throwOnError: an operation rejects with the DwollaError the pipeline threw.
  const client = createOperationClient(send, dwollaFetch, { baseUrl, throwOnError: true });

  async function call<T>(
    method: string,
    target: DwollaTarget,
    init: ApiRequestInit & { query?: DwollaQuery; idempotencyKey?: string },
  ): Promise<DwollaResult<T>> {
    const url = resolveTarget(target, baseUrl, init.query);
    const answer = await send(await encodeRequest(method, url, init, init.idempotencyKey));
    const where = `Dwolla API ${method} ${url.pathname}`;
    const result = readApiResponse<T>(answer, url, where, warn);
    result.location = createdLocation(
      answer.headers.location,
      answer.status,
      url,
      apiOrigin,
      where,
      warn,
    );
    return result;
  }
  const resolve = (target: DwollaTarget, query?: DwollaQuery) =>
    resolveTarget(target, baseUrl, query);

  const describe = () => ({ baseUrl });
  return {
    getAccessToken: (opts) => tokens.get(opts?.signal),
    get: (target, opts = {}) => call('GET', target, opts),
    post: (target, body, opts = {}) => call('POST', target, { ...opts, body }),
    delete: (target, opts = {}) => call('DELETE', target, opts),
    fetch: dwollaFetch,
    client,
    paginate: createPaginate({ get: (target, opts) => call('GET', target, opts), resolve, client }),
    uploadDocument: createUploadDocument({
      post: (target, body, opts) => call('POST', target, { ...opts, body }),
      resolve,
    }),
    locationOf: (result) => locationOfResult(result, baseUrl, apiOrigin, warn),
    toJSON: describe,
    [Symbol.for('nodejs.util.inspect.custom')]: () => `DwollaClient ${JSON.stringify(describe())}`,
  } as DwollaClient;
}
