import { checkPathParameters } from '../common/path-parameters.js';
import type { Client, Config, RequestOptions } from '../generated/client/index.js';
import type { ResolvedRequestOptions } from '../generated/client/types.gen.js';
import {
  buildUrl,
  createConfig,
  createInterceptors,
  getParseAs,
  mergeConfigs,
  mergeHeaders,
  setAuthParams,
} from '../generated/client/utils.gen.js';
import { getValidRequestBody } from '../generated/core/utils.gen.js';
import { bodyText } from '../json.js';
import { hasNoBody, toResponse } from '../transport/response.js';
import { headerRecord } from './headers.js';
import { fetchRequest } from './fetch-seam.js';
import type { DwollaAnswer, DwollaRequest, Next } from './stage.js';

type Fetch = typeof globalThis.fetch;
type ParseAs = Exclude<Config['parseAs'], 'auto' | undefined>;

/** A Request for an interceptor or a result that asks for one: what the pipeline was given. */
function platformRequest(request: DwollaRequest): Request {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body as BodyInit | undefined,
    signal: request.signal,
  });
}

/** A Response that a response interceptor returned, read back into an answer. */
async function answerOf(response: Response): Promise<DwollaAnswer> {
  const body = new Uint8Array(await response.clone().arrayBuffer());
  const headers = headerRecord(response.headers);
  return { status: response.status, statusText: response.statusText, headers, body };
}

/**
 * `data` of a 2xx answer as hey-api's client-fetch parses it, with the package's fixes
 * (scripts/client-fixes.ts): an empty answer is `undefined` for JSON and streams. JSON and text
 * are read from the bytes; an ArrayBuffer, Blob, FormData or stream from the Response, which
 * builds them as fetch does.
 */
function parseData(answer: DwollaAnswer, parseAs: ParseAs, response: () => Response): unknown {
  const empty =
    hasNoBody(answer) || answer.status === 204 || answer.headers['content-length'] === '0';
  switch (parseAs) {
    case 'json': {
      const text = empty ? '' : bodyText(answer.body);
      return text ? JSON.parse(text) : undefined;
    }
    case 'text':
      return empty ? '' : bodyText(answer.body);
    case 'arrayBuffer':
    case 'blob':
      return response()[parseAs]();
    case 'formData':
      return empty ? new FormData() : response().formData();
    default:
      return empty ? undefined : response().body;
  }
}

const METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];

/**
 * The client that generated operations call (`dwolla.client`): hey-api's client-fetch `Client`,
 * running on the pipeline (`send`) on plain values, with no `Request` or `Response` per call. It
 * builds the URL, headers and body with hey-api's own helpers (buildUrl, mergeHeaders,
 * setAuthParams, the operation's serializers) and resolves as client-fetch does (`parseAs`,
 * validators, transformers, interceptors, `responseStyle`, `throwOnError`). A `Request` is built
 * only for a request interceptor (the one it returns is sent) or when `result.request` is read; a
 * `Response` only for a response interceptor, when `result.response` is read or to give a Blob,
 * FormData, ArrayBuffer or stream. Refused loudly: another `fetch` (every call takes the
 * pipeline) and server-sent events (Dwolla's API has none).
 */
export function createOperationClient(send: Next, dwollaFetch: Fetch, initial: Config): Client {
  let config = mergeConfigs(createConfig(), { ...initial, fetch: dwollaFetch });
  const interceptors = createInterceptors<Request, Response, unknown, ResolvedRequestOptions>();

  async function request(options: RequestOptions): Promise<unknown> {
    if ((options.fetch ?? config.fetch) !== dwollaFetch) {
      throw new TypeError(
        'dwolla.client sends every call through the Dwolla client: it takes no other `fetch` ' +
          '(give createDwollaClient a `fetch` or `transport` instead)',
      );
    }
    const merged = {
      ...config,
      ...options,
      headers: mergeHeaders(config.headers, options.headers),
      serializedBody: undefined as unknown,
    };
    const opts = merged as typeof merged & ResolvedRequestOptions;
    if (opts.security) await setAuthParams({ ...opts, security: opts.security });
    if (opts.requestValidator) await opts.requestValidator(opts);
    if (opts.body !== undefined && opts.bodySerializer) {
      opts.serializedBody = opts.bodySerializer(opts.body) as string | undefined;
    }
    // Content-Type with no body would make an invalid request (as client-fetch removes it).
    if (opts.body === undefined || opts.serializedBody === '') opts.headers.delete('Content-Type');
    const url = buildUrl(opts);
    // A path parameter that would be a `.` or `..` segment is the caller's TypeError.
    checkPathParameters(opts, () => buildUrl({ ...opts, baseUrl: '', query: undefined }));
    const init = {
      method: opts.method,
      headers: opts.headers,
      body: getValidRequestBody(opts) as BodyInit | null | undefined,
      signal: opts.signal ?? undefined,
    };

    let intercepted: Request | undefined;
    let sent: DwollaRequest | undefined;
    let answer: DwollaAnswer | undefined;
    let response: Response | undefined;
    // The Request, once one was made (none when the request as given could not be encoded).
    const requestOf = () => (intercepted ??= sent && platformRequest(sent))!;
    const responseOf = () => (answer && (response ??= toResponse(answer, sent!.url)))!;
    const resultOf = (fields: { data: unknown } | { error: unknown }) => ({
      ...fields,
      get request() {
        return requestOf();
      },
      get response() {
        return responseOf();
      },
    });
    const failed = async (error: unknown): Promise<unknown> => {
      let final = error;
      for (const fn of interceptors.error.fns) {
        if (fn) final = await fn(error, responseOf(), requestOf(), opts);
      }
      final ||= {};
      if (opts.throwOnError) throw final;
      return opts.responseStyle === 'data' ? undefined : resultOf({ error: final });
    };

    if (interceptors.request.fns.some(Boolean)) {
      intercepted = new Request(url, { redirect: 'follow', ...opts, ...init } as RequestInit);
      for (const fn of interceptors.request.fns) if (fn) intercepted = await fn(intercepted, opts);
    }
    try {
      sent = await fetchRequest(intercepted ?? url, intercepted ? undefined : init);
      answer = await send(sent);
    } catch (error) {
      return failed(error);
    }
    if (interceptors.response.fns.some(Boolean)) {
      let replaced = responseOf();
      for (const fn of interceptors.response.fns) {
        if (fn) replaced = await fn(replaced, requestOf(), opts);
      }
      response = replaced;
      answer = await answerOf(replaced);
    }
    if (answer.status < 200 || answer.status > 299) {
      // Only a response interceptor makes a 2xx another status: client-fetch's error then.
      const text = bodyText(answer.body);
      let error: unknown = text;
      try {
        error = JSON.parse(text) ?? text;
      } catch {
        // not JSON: the text is the error
      }
      return failed(error);
    }
    const parseAs =
      (opts.parseAs === 'auto'
        ? getParseAs(answer.headers['content-type'] ?? null)
        : opts.parseAs) ?? 'json';
    let data = await parseData(answer, parseAs, responseOf);
    if (parseAs === 'json') {
      if (opts.responseValidator) await opts.responseValidator(data);
      if (opts.responseTransformer) data = await opts.responseTransformer(data);
    }
    return opts.responseStyle === 'data' ? data : resultOf({ data });
  }

  const noEvents = () =>
    Promise.reject(new TypeError('dwolla.client has no server-sent events (Dwolla has none)'));
  const byMethod = <T>(make: (method: string) => T) =>
    Object.fromEntries(METHODS.map((method) => [method.toLowerCase(), make(method)]));
  return {
    ...byMethod(
      (method) => (options: RequestOptions) => request({ ...options, method: method as 'GET' }),
    ),
    request,
    buildUrl: (options: Parameters<Client['buildUrl']>[0]) => buildUrl({ ...config, ...options }),
    getConfig: () => ({ ...config }),
    setConfig: (update: Config) => {
      config = mergeConfigs(config, update);
      return { ...config };
    },
    interceptors,
    sse: byMethod(() => noEvents),
  } as unknown as Client;
}
