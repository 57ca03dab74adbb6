/**
 * A `fetch`-compatible function on undici's dispatcher API (`Agent#dispatch`): undici is Node's
 * own HTTP engine (global `fetch` runs on it) without the WHATWG stream and fetch-algorithm
 * plumbing that costs `fetch` most of its CPU per call. For `createDwollaClient({ fetch })`.
 *
 * It resolves to a real WHATWG `Response` whose body is already in memory, and follows `fetch`
 * where a server-side client can observe it: request bodies of every `BodyInit` type, read into
 * memory first so that a redirect (or the client's own retry) can send them again; `AbortSignal`
 * (rejects with `signal.reason`); network errors and timeouts (reject with
 * `TypeError('fetch failed', { cause })`); redirects (`follow` / `manual` / `error`); and `gzip` /
 * `deflate` / `br` response bodies. It never re-sends a request by itself: retries belong to
 * the client's pipeline, which knows which requests are safe to repeat.
 *
 * Each response body is bounded, before and after decompression, by `maxResponseBytes`: the
 * client's own cap when it sends through this transport (passed with each request, see
 * src/request/response-limit.ts), else this transport's option. A body over it rejects with
 * `TypeError('fetch failed', { cause })`, `cause.code` being `ERR_DWOLLA_RESPONSE_TOO_LARGE`
 * (the client turns it into its DwollaResponseTooLargeError); a gzip bomb never expands past it.
 */
import type { ConnectionOptions } from 'node:tls';
import { constants as bufferConstants } from 'node:buffer';
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
import type * as Undici from 'undici';
import { requirePeers } from '../peers.js';
import { Deadlines, type DeadlineHandle, type DeadlineList } from './deadlines.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_RESPONSE_BYTES,
  RESPONSE_TOO_LARGE,
} from '../request/response-limit.js';
import { createBufferedResponse } from '../request/buffered-response.js';
import {
  ATTEMPT_TIMED_OUT,
  FAST_SEND,
  type FastSend,
  type FastSendRequest,
} from '../request/fast-send.js';

// Checked at import (a missing undici fails the import, naming it); loaded on the first
// createUndiciFetch() call, so importing this entry point stays cheap.
const peer = requirePeers('dwolla-openapi-client/transport', ['undici']);
let undici: typeof Undici | undefined;

/** Connections kept per origin by default: enough for a busy worker, never unbounded. */
export const DEFAULT_CONNECTIONS = 16;
/** Default time allowed for the response headers, and between two body chunks. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** Default time allowed to open a connection (TCP and TLS). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface UndiciFetchOptions {
  /** Most connections open at once to one origin; more requests wait for one. Default 16. */
  connections?: number;
  /**
   * Milliseconds allowed for the response headers to arrive, and between two chunks of its body
   * (undici's `headersTimeout` and `bodyTimeout`). Default 60,000.
   */
  requestTimeoutMs?: number;
  /** Milliseconds allowed to open a connection, TLS handshake included. Default 10,000. */
  connectTimeoutMs?: number;
  /**
   * The largest response body kept, in bytes, both as received and after decompression; a larger
   * one fails the request. Default 10 MiB. A client created with `createDwollaClient({ fetch })`
   * passes its own `maxResponseBytes` with each request, which then applies instead.
   */
  maxResponseBytes?: number;
  /** TLS options for `https:` origins, e.g. `{ ca }` to trust a private certificate authority. */
  tls?: Pick<
    ConnectionOptions,
    'ca' | 'cert' | 'key' | 'passphrase' | 'pfx' | 'rejectUnauthorized' | 'servername'
  >;
}

/** The function returned by {@link createUndiciFetch}: a `fetch`, plus `close()`. */
export interface UndiciFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Waits for requests in flight, then closes every connection. */
  close(): Promise<void>;
}

type ZlibFn = (
  buf: Buffer,
  options: ZlibOptions,
  cb: (err: Error | null, out: Buffer) => void,
) => void;

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const MAX_BUFFER_LENGTH = bufferConstants.MAX_LENGTH;
const DECODERS: Record<string, ZlibFn> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};
// fetch upper-cases these method names only (https://fetch.spec.whatwg.org/#concept-method-normalize).
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

interface Prepared {
  url: URL;
  method: string;
  headers: Record<string, string>;
  /** In memory, so it can be sent again after a redirect. */
  body: Buffer | undefined;
  signal: AbortSignal | null;
  redirect: RequestRedirect;
  /** The most bytes a response body may have, received and decoded. */
  limit: number;
  /** The whole exchange (decompression included) within this, or reject (the fast send only). */
  timeoutMs: number | undefined;
}

function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function timedOutError(timeoutMs: number): TypeError {
  const cause = new Error(`no complete response within ${timeoutMs} ms`) as Error & {
    code: string;
  };
  cause.code = ATTEMPT_TIMED_OUT;
  return networkError(cause);
}

function tooLargeError(limit: number): TypeError {
  const cause = new RangeError(
    `the response body is larger than ${limit} bytes (maxResponseBytes)`,
  ) as RangeError & { code: string };
  cause.code = RESPONSE_TOO_LARGE;
  return networkError(cause);
}

/** The limit the caller passed with this request (the client's maxResponseBytes), if valid. */
function requestLimit(init: RequestInit | undefined): number | undefined {
  const value = (init as { [MAX_RESPONSE_BYTES]?: unknown } | undefined)?.[MAX_RESPONSE_BYTES];
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function checkPositive(name: string, value: number | undefined, integer: boolean): void {
  if (value === undefined) return;
  if (!(value > 0 && Number.isFinite(value) && (!integer || Number.isInteger(value)))) {
    throw new RangeError(
      `createUndiciFetch: ${name} must be a positive ${integer ? 'integer' : 'number'}, not ${String(value)}`,
    );
  }
}

type SimpleBody = string | ArrayBuffer | ArrayBufferView<ArrayBuffer> | null | undefined;

/** A body sent as it is (absent, text or bytes: what the client sends); anything else needs `Request`. */
function isSimple(raw: BodyInit | null | undefined): raw is SimpleBody {
  return (
    raw == null || typeof raw === 'string' || raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)
  );
}

/** The body as bytes of its own (a later change to the caller's buffer is not sent). */
function bytesOf(raw: SimpleBody): Buffer | undefined {
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw.slice(0));
  if (raw != null) {
    return Buffer.from(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return undefined;
}

/** The request as undici sends it: URL, method, headers as an object, the body as bytes. */
function prepare(
  input: string | Request,
  init: RequestInit | undefined,
  defaultLimit: number,
): Prepared | Promise<Prepared> {
  const raw = init?.body;
  if (input instanceof Request || !isSimple(raw)) {
    return prepareRequest(input, init, requestLimit(init) ?? defaultLimit, undefined);
  }
  // Synchronous: a URL plus a body that is absent, text or bytes.
  const name = init?.method ?? 'GET';
  const upper = name.toUpperCase();
  const headers = headerRecord(init?.headers);
  if (typeof raw === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
  return checked({
    url: new URL(input),
    method: NORMALIZED_METHODS.has(upper) ? upper : name,
    headers,
    body: bytesOf(raw),
    signal: init?.signal ?? null,
    redirect: init?.redirect ?? 'follow',
    limit: requestLimit(init) ?? defaultLimit,
    timeoutMs: undefined,
  });
}

/** A fast send's attempt (fast-send.ts): its URL and header object are taken as they are. */
function prepareFast(r: FastSendRequest): Prepared | Promise<Prepared> {
  const raw = r.body;
  if (!isSimple(raw)) {
    const init = { method: r.method, headers: r.headers, body: raw, signal: r.signal ?? null };
    return prepareRequest(r.url, init, r.maxResponseBytes, r.timeoutMs);
  }
  const { headers } = r;
  if (typeof raw === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
  return checked({
    url: r.url,
    method: r.method,
    headers,
    body: bytesOf(raw),
    signal: r.signal ?? null,
    redirect: 'manual',
    limit: r.maxResponseBytes,
    timeoutMs: r.timeoutMs,
  });
}

/**
 * Everything else (FormData, Blob, URLSearchParams, streams, Request): `Request` applies fetch's
 * body extraction rules, content type included.
 */
async function prepareRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  limit: number,
  timeoutMs: number | undefined,
): Promise<Prepared> {
  const request = input instanceof Request && !init ? input : new Request(input, init);
  return checked({
    url: new URL(request.url),
    method: request.method,
    headers: headerRecord(request.headers),
    body: request.body === null ? undefined : Buffer.from(await request.arrayBuffer()),
    signal: request.signal,
    redirect: timeoutMs === undefined ? request.redirect : 'manual',
    limit,
    timeoutMs,
  });
}

/** What fetch refuses before sending: another scheme, a body on GET or HEAD. */
function checked(p: Prepared): Prepared {
  if (p.url.protocol !== 'http:' && p.url.protocol !== 'https:') {
    throw networkError(new Error(`unsupported protocol ${p.url.protocol}`));
  }
  if ((p.method === 'GET' || p.method === 'HEAD') && p.body !== undefined) {
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  }
  return p;
}

/**
 * Headers as undici takes them, with names in lower case and repeated names joined as `Headers`
 * joins them. A `Headers` is read, not copied (the client passes one per call); undici checks
 * names and values before sending.
 */
function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  };
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name] = value;
    });
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) add(name!, value!);
  } else if (headers) {
    for (const name of Object.keys(headers)) add(name, headers[name]!);
  }
  return out;
}

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** The first value of a response header (undici gives names in lower case). */
function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The decoded body; zlib stops (and the promise rejects) as soon as the output passes `limit`,
 * so a small compressed body never expands past it in memory.
 */
function decode(
  body: Buffer,
  encoding: string | undefined,
  limit: number,
): Promise<Buffer> | Buffer {
  const decoder = encoding && DECODERS[encoding.trim().toLowerCase()];
  if (!decoder || body.length === 0) return body;
  const maxOutputLength = Math.min(Math.max(1, Math.floor(limit)), MAX_BUFFER_LENGTH);
  return new Promise((resolve, reject) =>
    decoder(body, { maxOutputLength }, (err, out) => {
      if ((err as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE') {
        reject(tooLargeError(limit));
      } else if (err) reject(networkError(err));
      else if (out.length > limit) reject(tooLargeError(limit));
      else resolve(out);
    }),
  );
}

/** The request a redirect leads to, as fetch builds it (method, body and credentials rules). */
function redirected(p: Prepared, status: number, location: string): Prepared {
  const next = new URL(location, p.url);
  const headers = { ...p.headers };
  let { method, body } = p;
  if (status === 303 ? method !== 'HEAD' : status <= 302 && method === 'POST') {
    method = 'GET';
    body = undefined;
    for (const h of Object.keys(headers)) if (h.startsWith('content-')) delete headers[h];
  }
  if (next.origin !== p.url.origin) {
    delete headers.authorization;
    delete headers.cookie;
    delete headers['proxy-authorization'];
  }
  return { ...p, url: next, method, headers, body };
}

interface Answer {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  /** Decoded, or `null` for a null body; as received for a redirect about to be followed. */
  bytes: Buffer | null;
}

/** Whether this answer is a redirect the exchange loop follows (its body is then dropped). */
function toFollow(p: Prepared, status: number, headers: ResponseHeaders): boolean {
  return (
    p.redirect !== 'manual' &&
    REDIRECT_STATUS.has(status) &&
    header(headers, 'location') !== undefined
  );
}

/**
 * One exchange through undici's dispatcher: the handler keeps the body's chunks (no stream per
 * response), decodes them, and settles once the whole body is in; it rejects with the signal's
 * reason on abort, with the marked timeout when `timeoutMs` passes first, else with
 * `TypeError('fetch failed', { cause })`. Never resends. A class, so that a call allocates one
 * object rather than a closure per callback.
 */
class Exchange implements Undici.Dispatcher.DispatchHandler {
  readonly #p: Prepared;
  readonly #resolve: (answer: Answer) => void;
  readonly #reject: (error: unknown) => void;
  #controller: Undici.Dispatcher.DispatchController | undefined;
  #deadlines: DeadlineList | undefined;
  #deadline: DeadlineHandle | undefined;
  #settled = false;
  #reason: unknown;
  #ended = false;
  #status = 0;
  #statusText = '';
  #headers: ResponseHeaders = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    p: Prepared,
    deadlines: Deadlines,
    resolve: (answer: Answer) => void,
    reject: (error: unknown) => void,
  ) {
    this.#p = p;
    this.#resolve = resolve;
    this.#reject = reject;
    p.signal?.addEventListener('abort', this, { once: true });
    if (p.timeoutMs !== undefined) {
      this.#deadlines = deadlines.list(p.timeoutMs);
      this.#deadline = this.#deadlines.add(this);
    }
  }

  /** The time limit passed (see deadlines.ts). */
  expire(): void {
    this.fail(timedOutError(this.#p.timeoutMs!));
  }

  #settle(error: unknown, answer?: Answer): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reason = error;
    if (this.#deadline !== undefined) this.#deadlines!.remove(this.#deadline);
    this.#p.signal?.removeEventListener('abort', this);
    if (answer) this.#resolve(answer);
    else this.#reject(error);
  }

  /** Rejects with `error` and stops the exchange (the connection is dropped) if still running. */
  fail(error: unknown): void {
    if (this.#settled) return;
    this.#settle(error); // first: aborting calls onResponseError at once
    if (!this.#ended) this.#controller?.abort(error as Error);
  }

  /** The signal's abort event. */
  handleEvent(): void {
    this.fail(this.#p.signal!.reason);
  }

  onRequestStart(c: Undici.Dispatcher.DispatchController): void {
    this.#controller = c;
    // Failed while waiting for a connection: never send it.
    if (this.#settled) c.abort(this.#reason as Error);
  }

  onResponseStart(
    c: Undici.Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    // 1xx informational answers come first; only the final one counts.
    this.#status = statusCode;
    this.#statusText = statusMessage ?? '';
    this.#headers = headers;
    this.#chunks = [];
    this.#size = 0;
    if (Number(header(this.#headers, 'content-length')) > this.#p.limit) {
      this.fail(tooLargeError(this.#p.limit));
    }
  }

  onResponseData(_c: Undici.Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > this.#p.limit) this.fail(tooLargeError(this.#p.limit));
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.#ended = true;
    if (this.#settled) return;
    const p = this.#p;
    const status = this.#status;
    const chunks = this.#chunks;
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const answer = (bytes: Buffer | null) =>
      this.#settle(undefined, {
        status,
        statusText: this.#statusText,
        headers: this.#headers,
        bytes,
      });
    if (NULL_BODY_STATUS.has(status) || p.method === 'HEAD') return answer(null);
    if (toFollow(p, status, this.#headers)) return answer(raw);
    const decoded = decode(raw, header(this.#headers, 'content-encoding'), p.limit);
    if (decoded instanceof Promise) {
      decoded.then(answer, (error: unknown) => this.#settle(error));
    } else {
      answer(decoded);
    }
  }

  onResponseError(_c: Undici.Dispatcher.DispatchController, error: Error): void {
    const { signal } = this.#p;
    this.#settle(signal?.aborted ? signal.reason : networkError(error));
  }
}

function sendOnce(agent: Undici.Dispatcher, deadlines: Deadlines, p: Prepared): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    agent.dispatch(
      {
        origin: p.url.origin,
        path: p.url.pathname + p.url.search,
        method: p.method as Undici.Dispatcher.HttpMethod,
        headers: p.headers,
        body: p.body,
      },
      new Exchange(p, deadlines, resolve, reject),
    );
  });
}

/** The buffered Response for a final answer. */
function respond(p: Prepared, res: Answer, redirected: boolean): Response {
  return createBufferedResponse(res.bytes, {
    status: res.status,
    statusText: res.statusText,
    rawHeaders: res.headers,
    url: p.url.href,
    redirected,
  });
}

/**
 * Creates a `fetch`-compatible function that sends requests through its own undici `Agent`:
 * keep-alive connections, at most `connections` per origin (default 16).
 */
export function createUndiciFetch(options: UndiciFetchOptions = {}): UndiciFetch {
  checkPositive('connections', options.connections, true);
  checkPositive('requestTimeoutMs', options.requestTimeoutMs, false);
  checkPositive('connectTimeoutMs', options.connectTimeoutMs, false);
  checkPositive('maxResponseBytes', options.maxResponseBytes, false);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  undici ??= peer<typeof Undici>('undici');
  const agent = new undici.Agent({
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    pipelining: 1,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connect: { ...options.tls, timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
  });

  const deadlines = new Deadlines();
  const exchange = async (prepared: Prepared) => {
    let p = prepared;
    if (p.signal?.aborted) throw p.signal.reason;
    for (let redirects = 0; ; redirects++) {
      const res = await sendOnce(agent, deadlines, p);
      if (!toFollow(p, res.status, res.headers)) return respond(p, res, redirects > 0);
      if (p.redirect === 'error') throw networkError(new Error('unexpected redirect'));
      if (redirects >= MAX_REDIRECTS) throw networkError(new Error('redirect count exceeded'));
      p = redirected(p, res.status, header(res.headers, 'location')!);
    }
  };

  const undiciFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let prepared: Prepared | Promise<Prepared>;
    try {
      prepared = prepare(input instanceof URL ? input.href : input, init, maxResponseBytes);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return prepared instanceof Promise ? prepared.then(exchange) : exchange(prepared);
  };

  // The client's send stage: one attempt, redirect manual, bounded in time here (deadlines.ts:
  // no AbortController, no timer per call), the caller's signal only when there is one.
  const once = (p: Prepared): Promise<Response> => {
    if (p.signal?.aborted) return Promise.reject(p.signal.reason as Error);
    return sendOnce(agent, deadlines, p).then((res) => respond(p, res, false));
  };
  const fastSend: FastSend = (r: FastSendRequest) => {
    let prepared: Prepared | Promise<Prepared>;
    try {
      prepared = prepareFast(r);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return prepared instanceof Promise ? prepared.then(once) : once(prepared);
  };

  return Object.assign(undiciFetch, { close: () => agent.close(), [FAST_SEND]: fastSend });
}
