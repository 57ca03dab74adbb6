import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDwollaClient, DwollaAbortError, DwollaTimeoutError } from '../../src/index.js';
import { createUndiciFetch } from '../../src/transport/index.js';
import { createTestCertificates } from '../helpers/test-ca.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  url: string;
  seen: Seen[];
  connections: number;
  /** Connections open right now, and the most open at once. */
  open: number;
  maxOpen: number;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

async function startServer(handler: Handler, tls?: https.ServerOptions): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0, maxOpen: 0 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    state.maxOpen = Math.max(state.maxOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    get connections() {
      return state.connections;
    },
    get open() {
      return sockets.size;
    },
    get maxOpen() {
      return state.maxOpen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const json = (res: http.ServerResponse, status: number, value: unknown, extra = {}) => {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
    ...extra,
  });
  res.end(body);
};

const routes: Handler = (req, res, body) => {
  const url = new URL(req.url!, 'http://x');
  switch (url.pathname) {
    case '/echo':
      return json(res, 200, { method: req.method, body, headers: req.headers });
    case '/no-content':
      res.writeHead(204);
      return res.end();
    case '/gzip': {
      const size = Number(url.searchParams.get('size') ?? 0);
      const text = size ? 'z'.repeat(size - JSON.stringify({ zipped: '' }).length) : 'gzip';
      const zipped = gzipSync(JSON.stringify({ zipped: text }));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return res.end(zipped);
    }
    case '/br': {
      const zipped = brotliCompressSync(JSON.stringify({ zipped: 'br' }));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
      return res.end(zipped);
    }
    case '/chunked': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 100; i++) res.write('x'.repeat(1000));
      return res.end();
    }
    case '/cookies':
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      return json(res, 200, {});
    case '/status-text':
      res.writeHead(418, 'I Am A Teapot');
      return res.end();
    case '/slow':
      setTimeout(
        () => json(res, 200, { slow: true }),
        Number(url.searchParams.get('ms') ?? 2_000),
      ).unref();
      return;
    case '/no-headers':
      return; // never answers
    case '/stalled-body':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('partial');
      return; // never finishes
    case '/reset-mid-response':
      // The server started answering (status line, headers, part of the body), then the
      // connection breaks: the request must not be sent again.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 10).unref();
      return;
    case '/redirect-302':
      res.writeHead(302, { location: '/echo' });
      return res.end('moved');
    case '/redirect-307':
      res.writeHead(307, { location: '/echo' });
      return res.end();
    case '/redirect-other':
      res.writeHead(302, { location: `${other.url}/x` });
      return res.end();
    case '/redirect-loop':
      res.writeHead(302, { location: '/redirect-loop' });
      return res.end();
    default:
      return json(res, 404, { code: 'NotFound' });
  }
};

let server: TestServer;
let other: TestServer;
const undiciFetch = createUndiciFetch();

beforeAll(async () => {
  other = await startServer((req, res) => json(res, 200, { other: true }));
  server = await startServer(routes);
});

afterAll(async () => {
  await undiciFetch.close();
  await server.close();
  await other.close();
});

describe('createUndiciFetch', () => {
  it('returns a real Response with status, status text, headers and a JSON body', async () => {
    const res = await undiciFetch(`${server.url}/echo?q=1`, { headers: { 'X-Test': 'yes' } });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.statusText).toBe('OK');
    expect(res.url).toBe(`${server.url}/echo?q=1`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { method: string; headers: Record<string, string> };
    expect(body.method).toBe('GET');
    expect(body.headers['x-test']).toBe('yes');
    const teapot = await undiciFetch(`${server.url}/status-text`);
    expect([teapot.status, teapot.statusText]).toEqual([418, 'I Am A Teapot']);
  });

  it('reuses keep-alive connections for sequential requests', async () => {
    const before = server.connections;
    for (let i = 0; i < 20; i++) await (await undiciFetch(`${server.url}/echo`)).text();
    // A connection is free again a tick after its response ends: at most a second one opens.
    expect(server.connections - before).toBeLessThanOrEqual(2);
  });

  it('opens at most 16 connections per origin by default, or as many as asked', async () => {
    for (const [connections, limit] of [
      [undefined, 16],
      [3, 3],
    ] as const) {
      const target = await startServer(routes);
      const f = createUndiciFetch({ connections });
      try {
        const answers = await Promise.all(
          Array.from({ length: 100 }, () =>
            f(`${target.url}/slow?ms=20`).then((r) => r.json() as Promise<unknown>),
          ),
        );
        expect(answers).toEqual(Array.from({ length: 100 }, () => ({ slow: true })));
        expect(target.seen).toHaveLength(100);
        expect(target.maxOpen).toBeLessThanOrEqual(limit);
        expect(target.connections).toBeLessThanOrEqual(limit);
      } finally {
        await f.close();
        await target.close();
      }
    }
  });

  it('accepts a Request, as the generated client passes it, including its body', async () => {
    const request = new Request(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ a: 1 }),
    });
    const res = await undiciFetch(request);
    const body = (await res.json()) as {
      method: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(body.method).toBe('POST');
    expect(JSON.parse(body.body)).toEqual({ a: 1 });
    expect(body.headers['content-type']).toBe('application/json');
    expect(body.headers['content-length']).toBe(String(JSON.stringify({ a: 1 }).length));
    expect(body.headers.authorization).toBe('Bearer t');
  });

  it('encodes bodies like fetch: string, URLSearchParams, bytes, and an empty POST', async () => {
    const seen = async (init: RequestInit) =>
      (await (await undiciFetch(`${server.url}/echo`, { method: 'POST', ...init })).json()) as {
        body: string;
        headers: Record<string, string>;
      };
    const text = await seen({ body: 'héllo' });
    expect(text.body).toBe('héllo');
    expect(text.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(text.headers['content-length']).toBe(String(Buffer.byteLength('héllo')));

    const form = await seen({ body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(form.body).toBe('grant_type=client_credentials');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');

    const bytes = await seen({ body: new Uint8Array([104, 105]) });
    expect(bytes.body).toBe('hi');

    const empty = await seen({});
    expect(empty.body).toBe('');
    expect(empty.headers['content-length']).toBe('0');
  });

  it('merges a Request with an init like fetch(request, init)', async () => {
    const res = await undiciFetch(new Request(`${server.url}/echo`), {
      method: 'put',
      body: 'x',
    });
    expect(((await res.json()) as { method: string }).method).toBe('PUT');
  });

  it('rejects a body on GET', async () => {
    await expect(undiciFetch(`${server.url}/echo`, { body: new Blob(['x']) })).rejects.toThrow(
      TypeError,
    );
  });

  it('gives 204 and HEAD a null body', async () => {
    const res = await undiciFetch(`${server.url}/no-content`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await res.text()).toBe('');
    const head = await undiciFetch(`${server.url}/echo`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it('returns non-2xx responses rather than rejecting', async () => {
    const res = await undiciFetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.ok).toBe(false);
    expect(await res.json()).toEqual({ code: 'NotFound' });
  });

  it('decodes gzip and br bodies', async () => {
    expect(await (await undiciFetch(`${server.url}/gzip`)).json()).toEqual({ zipped: 'gzip' });
    expect(await (await undiciFetch(`${server.url}/br`)).json()).toEqual({ zipped: 'br' });
  });

  it('bounds bodies by maxResponseBytes, received and decoded: over it rejects, marked', async () => {
    const small = createUndiciFetch({ maxResponseBytes: 50_000 });
    try {
      const reason = (url: string) =>
        small(url).then(
          () => 'resolved',
          (e: TypeError & { cause: { code: string; message: string } }) =>
            `${e.name}: ${e.message}; ${e.cause.code}: ${e.cause.message}`,
        );
      const tooLarge =
        'TypeError: fetch failed; ERR_DWOLLA_RESPONSE_TOO_LARGE: the response body is larger than 50000 bytes (maxResponseBytes)';
      // 100,000 bytes: chunked (counted as received), gzip (counted as decoded).
      expect(await reason(`${server.url}/chunked`)).toBe(tooLarge);
      expect(await reason(`${server.url}/gzip?size=100000`)).toBe(tooLarge);
      // A per-request limit (what the client passes) applies instead of the option.
      const key = Symbol.for('dwolla-openapi-client.maxResponseBytes');
      const init = { [key]: 100_000 } as RequestInit;
      expect((await (await small(`${server.url}/chunked`, init)).text()).length).toBe(100_000);
      expect(
        (await (await small(`${server.url}/gzip?size=100000`, init)).json()).zipped,
      ).toHaveLength(100_000 - JSON.stringify({ zipped: '' }).length);
      expect((await (await small(`${server.url}/gzip`)).json()).zipped).toBe('gzip');
    } finally {
      await small.close();
    }
  });

  it('reads chunked bodies and repeated headers', async () => {
    expect((await (await undiciFetch(`${server.url}/chunked`)).text()).length).toBe(100_000);
    const res = await undiciFetch(`${server.url}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('rejects with the signal reason when aborted before or during the request', async () => {
    const early = new AbortController();
    early.abort();
    await expect(undiciFetch(`${server.url}/echo`, { signal: early.signal })).rejects.toMatchObject(
      { name: 'AbortError' },
    );

    const late = new AbortController();
    const pending = undiciFetch(`${server.url}/slow`, { signal: late.signal });
    setTimeout(() => late.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    await expect(
      undiciFetch(`${server.url}/slow`, { signal: AbortSignal.timeout(20) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });

    const viaRequest = new AbortController();
    const req = new Request(`${server.url}/slow`, { signal: viaRequest.signal });
    const p = undiciFetch(req);
    viaRequest.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects network errors with TypeError("fetch failed") and a cause, like fetch', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    const error = await undiciFetch(`${closed.url}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    await expect(undiciFetch('ftp://127.0.0.1/')).rejects.toThrow('fetch failed');
  });

  it('times out headers and a stalled body after requestTimeoutMs', async () => {
    const f = createUndiciFetch({ requestTimeoutMs: 300 });
    try {
      const started = Date.now();
      const headers = await f(`${server.url}/no-headers`).catch((e: unknown) => e);
      expect(headers).toBeInstanceOf(TypeError);
      expect((headers as TypeError).cause).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      const body = await f(`${server.url}/stalled-body`).catch((e: unknown) => e);
      expect(body).toBeInstanceOf(TypeError);
      expect((body as TypeError).cause).toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
      // Generous: the machine is shared; the point is "bounded", not the exact figure.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await f.close();
    }
  });

  it('never sends a request again after the server started answering it', async () => {
    for (const init of [
      { method: 'GET' },
      { method: 'DELETE' },
      { method: 'POST', headers: { 'idempotency-key': 'k-1' }, body: '{}' },
    ] as RequestInit[]) {
      const before = server.seen.length;
      const error = await undiciFetch(`${server.url}/reset-mid-response`, init).then(
        async (res) => res.text(),
        (e: unknown) => e,
      );
      expect(error, init.method).toBeInstanceOf(TypeError);
      // Let a second attempt, if any, reach the server before counting.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const seen = server.seen.slice(before).filter((s) => s.url === '/reset-mid-response');
      expect(seen.map((s) => s.method)).toEqual([init.method]);
    }
  });

  it('follows redirects: 302 turns POST into GET, 307 sends method and body again', async () => {
    const r302 = await undiciFetch(`${server.url}/redirect-302`, { method: 'POST', body: 'x' });
    expect(r302.redirected).toBe(true);
    expect(r302.url).toBe(`${server.url}/echo`);
    const b302 = (await r302.json()) as { method: string; headers: Record<string, string> };
    expect(b302.method).toBe('GET');
    expect(b302.headers['content-length']).toBeUndefined();

    const r307 = await undiciFetch(`${server.url}/redirect-307`, { method: 'POST', body: 'x' });
    expect(await r307.json()).toMatchObject({ method: 'POST', body: 'x' });

    // A stream body can be read once: it is read into memory first, so it replays.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const init = { method: 'POST', body: stream, duplex: 'half' } as RequestInit;
    const replayed = await undiciFetch(`${server.url}/redirect-307`, init);
    expect(await replayed.json()).toMatchObject({ method: 'POST', body: 'streamed' });
  });

  it('drops Authorization on a cross-origin redirect', async () => {
    const res = await undiciFetch(`${server.url}/redirect-other`, {
      headers: { authorization: 'Bearer secret', 'x-keep': '1' },
    });
    expect(await res.json()).toEqual({ other: true });
    const last = other.seen.at(-1)!;
    expect(last.headers.authorization).toBeUndefined();
    expect(last.headers['x-keep']).toBe('1');
  });

  it('honours redirect: manual and redirect: error, and stops redirect loops', async () => {
    const before = server.seen.length;
    const manual = await undiciFetch(`${server.url}/redirect-302`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');
    expect(await manual.text()).toBe('moved');
    expect(server.seen.slice(before).map((s) => s.url)).toEqual(['/redirect-302']);
    await expect(undiciFetch(`${server.url}/redirect-302`, { redirect: 'error' })).rejects.toThrow(
      'fetch failed',
    );
    await expect(undiciFetch(`${server.url}/redirect-loop`)).rejects.toThrow('fetch failed');
  });

  it('refuses options that are not positive numbers, naming them', () => {
    expect(() => createUndiciFetch({ connections: 0 })).toThrow(
      /connections must be a positive integer/,
    );
    expect(() => createUndiciFetch({ connections: 1.5 })).toThrow(RangeError);
    expect(() => createUndiciFetch({ requestTimeoutMs: -1 })).toThrow(/requestTimeoutMs/);
    expect(() => createUndiciFetch({ connectTimeoutMs: Number.NaN })).toThrow(/connectTimeoutMs/);
    expect(() => createUndiciFetch({ maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
  });

  it('is the transport of a client: token and API call on kept-alive connections', async () => {
    const api = await startServer((req, res) => {
      if (req.url === '/token') {
        return json(res, 200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600 });
      }
      return json(
        res,
        200,
        { auth: req.headers.authorization },
        {
          'content-type': 'application/vnd.dwolla.v1.hal+json',
        },
      );
    });
    const f = createUndiciFetch();
    try {
      const dwolla = createDwollaClient({ key: 'k', secret: 's', baseUrl: api.url, fetch: f });
      const { data } = await dwolla.get('/');
      expect(data).toEqual({ auth: 'Bearer tok' });
      expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /token', 'GET /']);
      // Keep-alive: undici marks a connection free a tick after its response ends, so a request
      // sent at once after the first may open a second one; never one per request.
      expect(api.connections).toBeLessThanOrEqual(2);
    } finally {
      await f.close();
      await api.close();
    }
  });
});

describe('createUndiciFetch as the transport of a client (its fast send)', () => {
  const clientOn = (api: TestServer, fetch: typeof globalThis.fetch, options = {}) =>
    createDwollaClient({ key: 'k', secret: 's', baseUrl: api.url, fetch, ...options });

  const tokenOr =
    (handler: Handler): Handler =>
    (req, res, body) =>
      req.url === '/token'
        ? json(res, 200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600 })
        : handler(req, res, body);

  it('an attempt waiting for a pooled connection times out like any other, and is never sent late', async () => {
    const held: http.ServerResponse[] = [];
    const api = await startServer(
      tokenOr((req, res) => (req.url === '/hold' ? held.push(res) : json(res, 200, { ok: 1 }))),
    );
    const f = createUndiciFetch({ connections: 1 });
    try {
      const dwolla = clientOn(api, f, { requestTimeoutMs: 300, maxRetries: 0 });
      await dwolla.getAccessToken();
      const holding = dwolla.get('/hold').catch((e: unknown) => e);
      // The one connection is busy: this attempt waits in the pool, then times out there.
      const queued = await dwolla.get('/queued').catch((e: unknown) => e);
      expect(queued).toBeInstanceOf(DwollaTimeoutError);
      expect((queued as Error).message).toBe(
        'GET /queued: no complete response within 300 ms (requestTimeoutMs)',
      );
      expect(await holding).toBeInstanceOf(DwollaTimeoutError);
      for (const res of held) res.end();
      const after = await dwolla.get('/after');
      expect(after.data).toEqual({ ok: 1 });
      expect(api.seen.map((s) => s.url)).toEqual(['/token', '/hold', '/after']);
    } finally {
      await f.close();
      await api.close();
    }
  });

  it("the caller's signal aborts an attempt in flight and one waiting in the pool", async () => {
    const api = await startServer(tokenOr(() => {}));
    const f = createUndiciFetch({ connections: 1 });
    try {
      const dwolla = clientOn(api, f);
      await dwolla.getAccessToken();
      const controller = new AbortController();
      const calls = [
        dwolla.get('/a', { signal: controller.signal }),
        dwolla.get('/b', { signal: controller.signal }),
      ];
      setTimeout(() => controller.abort(new Error('gave up')), 100);
      const errors = await Promise.all(calls.map((c) => c.catch((e: unknown) => e)));
      for (const error of errors) {
        expect(error).toBeInstanceOf(DwollaAbortError);
        expect((error as Error).cause).toEqual(new Error('gave up'));
      }
      expect(api.seen.map((s) => s.url)).toEqual(['/token', '/a']);
    } finally {
      await f.close();
      await api.close();
    }
  });

  it('many attempts under one time limit: each hanging one times out, the others answer', async () => {
    const api = await startServer(
      tokenOr((req, res) => {
        const n = Number(req.url!.slice(1));
        if (n % 2 === 0) return; // hangs
        setTimeout(() => json(res, 200, { n }), n * 5).unref();
      }),
    );
    const f = createUndiciFetch();
    try {
      const dwolla = clientOn(api, f, { requestTimeoutMs: 400, maxRetries: 0 });
      await dwolla.getAccessToken();
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          dwolla.get(`/${n}`).then(
            (r) => (r.data as { n: number }).n,
            (e: unknown) => e,
          ),
        ),
      );
      const elapsed = performance.now() - started;
      outcomes.forEach((outcome, n) => {
        if (n % 2 === 1) expect(outcome).toBe(n);
        else expect(outcome).toBeInstanceOf(DwollaTimeoutError);
      });
      expect(elapsed).toBeGreaterThanOrEqual(400 - 20);
      expect(elapsed).toBeLessThan(10_000); // generous: a shared machine
    } finally {
      await f.close();
      await api.close();
    }
  });

  it('leaves nothing that keeps a process alive after its last call', async () => {
    const api = await startServer(tokenOr((req, res) => json(res, 200, { ok: true })));
    try {
      const src = (path: string) =>
        JSON.stringify(new URL(`../../src/${path}`, import.meta.url).href);
      const program = `
        const { createDwollaClient } = await import(${src('index.ts')});
        const { createUndiciFetch } = await import(${src('transport/index.ts')});
        const fetch = createUndiciFetch();
        const dwolla = createDwollaClient({ key: 'k', secret: 's', baseUrl: ${JSON.stringify(api.url)}, fetch });
        await dwolla.get('/');
        console.log('called');
      `;
      const started = performance.now();
      const child = spawn(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        program,
      ]);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(stdout.trim()).toBe('called');
      // The attempt deadline's timer (requestTimeoutMs default 60 s) must not hold the process.
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      await api.close();
    }
  });

  it('a client given the same transport wrapped as a plain fetch sends the same request', async () => {
    const api = await startServer(tokenOr((req, res) => json(res, 201, {}, { location: '/x/1' })));
    const f = createUndiciFetch();
    try {
      const wrapped: typeof fetch = (input, init) => f(input, init);
      for (const fetch of [f, wrapped]) {
        const dwolla = createDwollaClient({ key: 'k', secret: 's', baseUrl: api.url, fetch });
        const result = await dwolla.post('/x?y=1', { a: 1 }, { idempotencyKey: 'key-1' });
        expect(result.location).toBe(`${api.url}/x/1`);
        expect(result.response.status).toBe(201);
      }
      const [, fast, , plain] = api.seen;
      const { 'user-agent': ua1, ...fastHeaders } = fast!.headers;
      const { 'user-agent': ua2, ...plainHeaders } = plain!.headers;
      expect(ua1).toBe(ua2);
      expect(fastHeaders).toEqual(plainHeaders);
      expect(fast!.url).toBe('/x?y=1');
      expect({ ...fast, headers: undefined }).toEqual({ ...plain, headers: undefined });
    } finally {
      await f.close();
      await api.close();
    }
  });
});

describe('createUndiciFetch over TLS', () => {
  it('trusts a private CA passed in tls options, and only then', async () => {
    const certs = await createTestCertificates();
    const secure = await startServer(routes, { key: certs.key, cert: certs.cert });
    const trusting = createUndiciFetch({ tls: { ca: certs.ca } });
    const plain = createUndiciFetch();
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
      const res = await trusting(`${secure.url}/echo`, { method: 'POST', body: 'over tls' });
      expect(await res.json()).toMatchObject({ method: 'POST', body: 'over tls' });
      for (let i = 0; i < 10; i++) await (await trusting(`${secure.url}/echo`)).text();
      expect(secure.connections).toBeLessThanOrEqual(2);

      const refused = await plain(`${secure.url}/echo`).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TypeError);
      expect(String((refused as TypeError).cause)).toMatch(/certificate/i);
    } finally {
      await trusting.close();
      await plain.close();
      await secure.close();
    }
  });
});
