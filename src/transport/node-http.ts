/**
 * A `fetch`-compatible function backed by `node:http` / `node:https` with keep-alive agents.
 *
 * Node's global `fetch` (undici) spends most of its per-call CPU in WHATWG stream and fetch
 * algorithm plumbing. For a JSON API client doing many small request/response exchanges over a
 * few long-lived connections, a plain `node:http` request on a keep-alive agent is about twice as
 * fast. This module puts that behind the `fetch` seam so it can be injected anywhere a `fetch` is
 * accepted (`createDwollaClient({ fetch: createNodeHttpFetch() })`).
 *
 * It resolves to a real WHATWG `Response`, and follows `fetch` semantics where a Dwolla client
 * can observe them: request bodies of every `BodyInit` type, `AbortSignal` (rejects with
 * `signal.reason`), network errors (rejects with `TypeError('fetch failed', { cause })`),
 * redirects (`follow` / `manual` / `error`), and `gzip` / `deflate` / `br` response bodies.
 * It does not implement CORS, caching, credentials modes or cookies (none apply server-side).
 */
import http from 'node:http';
import type https from 'node:https';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { createBufferedResponse } from './response.js';

export interface NodeHttpFetchOptions {
  /** Agent for `http:` URLs. Default: a new keep-alive `http.Agent`. */
  httpAgent?: http.Agent;
  /** Agent for `https:` URLs. Default: a new keep-alive `https.Agent` (created on first use). */
  httpsAgent?: https.Agent;
  /** Maximum sockets per origin for the default agents. Default: `Infinity` (as `fetch`). */
  maxSockets?: number;
  /** Maximum idle sockets kept per origin by the default agents. Default: `256`. */
  maxFreeSockets?: number;
}

/** The function returned by {@link createNodeHttpFetch}: a `fetch`, plus `close()`. */
export interface NodeHttpFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Destroys the default agents' sockets. Agents passed in options are left alone. */
  close(): void;
}

type ZlibFn = (buf: Buffer, cb: (err: Error | null, out: Buffer) => void) => void;

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const MAX_REDIRECTS = 20;
const DECODERS: Record<string, ZlibFn> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};

interface Prepared {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal | null;
  redirect: RequestRedirect;
}

interface RawResponse {
  status: number;
  statusText: string;
  rawHeaders: string[];
  body: Buffer;
  contentEncoding: string | undefined;
  location: string | undefined;
}

function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

// fetch upper-cases these method names only (https://fetch.spec.whatwg.org/#concept-method-normalize).
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

function headersToObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

async function prepare(input: string | URL | Request, init: RequestInit | undefined) {
  // Fast path: a URL plus an init without a body or with a string/binary body.
  if (!(input instanceof Request)) {
    const body = init?.body;
    const bytes = body instanceof ArrayBuffer || ArrayBuffer.isView(body);
    if (body == null || typeof body === 'string' || bytes) {
      // A Headers instance is only read here, so it needs no defensive copy.
      let headers = init?.headers instanceof Headers ? init.headers : new Headers(init?.headers);
      let buf: Buffer | undefined;
      if (typeof body === 'string') {
        buf = Buffer.from(body, 'utf8');
        if (!headers.has('content-type')) {
          headers = new Headers(headers);
          headers.set('content-type', 'text/plain;charset=UTF-8');
        }
      } else if (body instanceof ArrayBuffer) {
        buf = Buffer.from(body.slice(0));
      } else if (bytes) {
        buf = Buffer.from(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
      }
      return finish(
        new URL(input),
        normalizeMethod(init?.method ?? 'GET'),
        headers,
        buf,
        init?.signal ?? null,
        init?.redirect ?? 'follow',
      );
    }
  }
  // General path: let `Request` apply fetch's body extraction rules (FormData, Blob, streams…).
  const request = input instanceof Request && !init ? input : new Request(input, init);
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  return finish(
    new URL(request.url),
    request.method,
    request.headers,
    body,
    request.signal,
    request.redirect,
  );
}

function finish(
  url: URL,
  method: string,
  headers: Headers,
  body: Buffer | undefined,
  signal: AbortSignal | null,
  redirect: RequestRedirect,
): Prepared {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw networkError(new Error(`unsupported protocol ${url.protocol}`));
  }
  if ((method === 'GET' || method === 'HEAD') && body !== undefined) {
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  }
  const out = headersToObject(headers);
  if (body !== undefined) out['content-length'] = String(body.length);
  else if (method === 'POST' || method === 'PUT' || method === 'PATCH') out['content-length'] = '0';
  return { url, method, headers: out, body, signal, redirect };
}

/**
 * Creates a `fetch`-compatible function that sends requests with `node:http` / `node:https` on
 * keep-alive agents owned by the returned function.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): NodeHttpFetch {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? Infinity,
    maxFreeSockets: options.maxFreeSockets ?? 256,
    scheduling: 'lifo' as const,
  };
  const ownHttpAgent = options.httpAgent ? undefined : new http.Agent(agentOptions);
  const httpAgent = options.httpAgent ?? ownHttpAgent!;
  let ownHttpsAgent: https.Agent | undefined;
  let httpsModule: Promise<typeof https> | undefined;

  // `node:https` pulls in TLS; load it on the first https: request, not at import time.
  const httpsRequest = async () => {
    const mod = await (httpsModule ??= import('node:https').then((m) => m.default ?? m));
    const agent = options.httpsAgent ?? (ownHttpsAgent ??= new mod.Agent(agentOptions));
    return { request: mod.request, agent };
  };

  const send = (
    p: Prepared,
    request: typeof http.request,
    agent: http.Agent,
    allowRetry: boolean,
  ): Promise<RawResponse> =>
    new Promise<RawResponse>((resolve, reject) => {
      const { signal } = p;
      let settled = false;
      const onAbort = () => {
        req.destroy();
        done(signal!.reason, undefined);
      };
      const done = (error: unknown, value: RawResponse | undefined) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (error !== undefined) reject(error);
        else resolve(value!);
      };
      const req = request(
        p.url,
        { method: p.method, headers: p.headers, agent },
        (res: http.IncomingMessage) => {
          const chunks: Buffer[] = [];
          let length = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            length += chunk.length;
          });
          res.on('error', (err) => done(networkError(err), undefined));
          res.on('aborted', () => done(networkError(new Error('response aborted')), undefined));
          res.on('end', () => {
            const encoding = res.headers['content-encoding'];
            done(undefined, {
              status: res.statusCode!,
              statusText: res.statusMessage ?? '',
              rawHeaders: res.rawHeaders,
              body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length),
              contentEncoding: encoding ? encoding.trim().toLowerCase() : undefined,
              location: res.headers.location,
            });
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        // A kept-alive socket the server closed while we were reusing it: retry once on a new one.
        if (
          allowRetry &&
          req.reusedSocket &&
          (err.code === 'ECONNRESET' || err.code === 'EPIPE') &&
          !signal?.aborted
        ) {
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          send(p, request, agent, false).then(resolve, reject);
          return;
        }
        done(networkError(err), undefined);
      });
      if (signal) {
        if (signal.aborted) {
          req.destroy();
          done(signal.reason, undefined);
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
      }
      req.end(p.body);
    });

  const decode = (raw: RawResponse): Promise<Buffer> | Buffer => {
    const decoder = raw.contentEncoding && DECODERS[raw.contentEncoding];
    if (!decoder || raw.body.length === 0) return raw.body;
    return new Promise((resolve, reject) =>
      decoder(raw.body, (err, out) => (err ? reject(networkError(err)) : resolve(out))),
    );
  };

  const nodeFetch = async (input: string | URL | Request, init?: RequestInit) => {
    let p = await prepare(input, init);
    for (let redirects = 0; ; redirects++) {
      const https = p.url.protocol === 'https:';
      const { request, agent } = https
        ? await httpsRequest()
        : { request: http.request, agent: httpAgent };
      const retryable = IDEMPOTENT.has(p.method) || 'idempotency-key' in p.headers;
      const raw = await send(p, request, agent, retryable);

      if (
        REDIRECT_STATUS.has(raw.status) &&
        raw.location !== undefined &&
        p.redirect !== 'manual'
      ) {
        if (p.redirect === 'error') throw networkError(new Error('unexpected redirect'));
        if (redirects >= MAX_REDIRECTS) throw networkError(new Error('redirect count exceeded'));
        const next = new URL(raw.location, p.url);
        const headers = { ...p.headers };
        let { method, body } = p;
        if (raw.status === 303 ? method !== 'HEAD' : raw.status <= 302 && method === 'POST') {
          method = 'GET';
          body = undefined;
          for (const h of Object.keys(headers)) if (h.startsWith('content-')) delete headers[h];
        }
        if (next.origin !== p.url.origin) {
          delete headers.authorization;
          delete headers.cookie;
          delete headers['proxy-authorization'];
        }
        p = { ...p, url: next, method, headers, body };
        continue;
      }

      const nullBody = NULL_BODY_STATUS.has(raw.status) || p.method === 'HEAD';
      return createBufferedResponse(nullBody ? null : await decode(raw), {
        status: raw.status,
        statusText: raw.statusText,
        rawHeaders: raw.rawHeaders,
        url: p.url.href,
        redirected: redirects > 0,
      });
    }
  };

  return Object.assign(nodeFetch, {
    close() {
      ownHttpAgent?.destroy();
      ownHttpsAgent?.destroy();
    },
  });
}
