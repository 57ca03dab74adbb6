import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../src/transport/index.js';

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
  close(): Promise<void>;
}

async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get connections() {
      return state.connections;
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

let server: TestServer;
let other: TestServer;
const nodeFetch = createNodeHttpFetch();

beforeAll(async () => {
  other = await startServer((req, res) => json(res, 200, { other: true }));
  server = await startServer((req, res, body) => {
    const url = new URL(req.url!, 'http://x');
    switch (url.pathname) {
      case '/echo':
        return json(res, 200, { method: req.method, body, headers: req.headers });
      case '/no-content':
        res.writeHead(204);
        return res.end();
      case '/gzip': {
        const zipped = gzipSync(JSON.stringify({ zipped: 'gzip' }));
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
      case '/slow':
        setTimeout(() => json(res, 200, { slow: true }), 2_000).unref();
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
      case '/drop-second': {
        // Answer the first request on a socket, then drop the socket on the next one,
        // as a server does when it closes an idle keep-alive connection.
        const socket = req.socket as Socket & { served?: boolean };
        if (socket.served) return socket.destroy();
        socket.served = true;
        return json(res, 200, { served: true });
      }
      default:
        return json(res, 404, { code: 'NotFound' });
    }
  });
});

afterAll(async () => {
  nodeFetch.close();
  await server.close();
  await other.close();
});

describe('createNodeHttpFetch', () => {
  it('returns a real Response with status, headers and a JSON body', async () => {
    const res = await nodeFetch(`${server.url}/echo?q=1`, { headers: { 'X-Test': 'yes' } });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${server.url}/echo?q=1`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { method: string; headers: Record<string, string> };
    expect(body.method).toBe('GET');
    expect(body.headers['x-test']).toBe('yes');
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const before = server.connections;
    for (let i = 0; i < 20; i++) await (await nodeFetch(`${server.url}/echo`)).text();
    expect(server.connections - before).toBeLessThanOrEqual(1);
  });

  it('accepts a Request, as the generated client passes it, including its body', async () => {
    const request = new Request(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ a: 1 }),
    });
    const res = await nodeFetch(request);
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
      (await (await nodeFetch(`${server.url}/echo`, { method: 'POST', ...init })).json()) as {
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
    const res = await nodeFetch(new Request(`${server.url}/echo`), {
      method: 'put',
      body: 'x',
    });
    expect(((await res.json()) as { method: string }).method).toBe('PUT');
  });

  it('rejects a body on GET', async () => {
    await expect(nodeFetch(`${server.url}/echo`, { body: new Blob(['x']) })).rejects.toThrow(
      TypeError,
    );
  });

  it('gives 204 a null body', async () => {
    const res = await nodeFetch(`${server.url}/no-content`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('gives HEAD a null body', async () => {
    const res = await nodeFetch(`${server.url}/echo`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
  });

  it('returns non-2xx responses rather than rejecting', async () => {
    const res = await nodeFetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.ok).toBe(false);
    expect(await res.json()).toEqual({ code: 'NotFound' });
  });

  it('decodes gzip and br bodies', async () => {
    expect(await (await nodeFetch(`${server.url}/gzip`)).json()).toEqual({ zipped: 'gzip' });
    expect(await (await nodeFetch(`${server.url}/br`)).json()).toEqual({ zipped: 'br' });
  });

  it('reads chunked bodies and repeated headers', async () => {
    expect((await (await nodeFetch(`${server.url}/chunked`)).text()).length).toBe(100_000);
    const res = await nodeFetch(`${server.url}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('rejects with the signal reason when aborted before or during the request', async () => {
    const early = new AbortController();
    early.abort();
    await expect(nodeFetch(`${server.url}/echo`, { signal: early.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });

    const late = new AbortController();
    const pending = nodeFetch(`${server.url}/slow`, { signal: late.signal });
    setTimeout(() => late.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    await expect(
      nodeFetch(`${server.url}/slow`, { signal: AbortSignal.timeout(20) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });

    const viaRequest = new AbortController();
    const req = new Request(`${server.url}/slow`, { signal: viaRequest.signal });
    const p = nodeFetch(req);
    viaRequest.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects network errors with TypeError("fetch failed") and a cause, like fetch', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    const error = await nodeFetch(`${closed.url}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    await expect(nodeFetch('ftp://127.0.0.1/')).rejects.toThrow('fetch failed');
  });

  it('follows redirects: 302 turns POST into GET, 307 keeps method and body', async () => {
    const r302 = await nodeFetch(`${server.url}/redirect-302`, { method: 'POST', body: 'x' });
    expect(r302.redirected).toBe(true);
    expect(r302.url).toBe(`${server.url}/echo`);
    const b302 = (await r302.json()) as { method: string; headers: Record<string, string> };
    expect(b302.method).toBe('GET');
    expect(b302.headers['content-length']).toBeUndefined();

    const r307 = await nodeFetch(`${server.url}/redirect-307`, { method: 'POST', body: 'x' });
    expect(await r307.json()).toMatchObject({ method: 'POST', body: 'x' });
  });

  it('drops Authorization on a cross-origin redirect', async () => {
    const res = await nodeFetch(`${server.url}/redirect-other`, {
      headers: { authorization: 'Bearer secret', 'x-keep': '1' },
    });
    expect(await res.json()).toEqual({ other: true });
    const last = other.seen.at(-1)!;
    expect(last.headers.authorization).toBeUndefined();
    expect(last.headers['x-keep']).toBe('1');
  });

  it('honours redirect: manual and redirect: error, and stops redirect loops', async () => {
    const manual = await nodeFetch(`${server.url}/redirect-302`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');
    await expect(nodeFetch(`${server.url}/redirect-302`, { redirect: 'error' })).rejects.toThrow(
      'fetch failed',
    );
    await expect(nodeFetch(`${server.url}/redirect-loop`)).rejects.toThrow('fetch failed');
  });

  it('retries an idempotent request once when a reused keep-alive socket was dropped', async () => {
    const f = createNodeHttpFetch({ maxSockets: 1 });
    try {
      expect(await (await f(`${server.url}/drop-second`)).json()).toEqual({ served: true });
      // Second request goes out on the reused socket, which the server drops; retried on a new one.
      expect(await (await f(`${server.url}/drop-second`)).json()).toEqual({ served: true });

      // A POST without an Idempotency-Key is not retried: it may have been processed.
      const post = await f(`${server.url}/drop-second`, { method: 'POST' }).catch(
        (e: unknown) => e,
      );
      expect(post).toBeInstanceOf(TypeError);

      // With an Idempotency-Key (as Dwolla supports) it is.
      await f(`${server.url}/drop-second`, { method: 'POST' }).catch(() => undefined);
      const keyed = await f(`${server.url}/drop-second`, {
        method: 'POST',
        headers: { 'idempotency-key': 'k1' },
      });
      expect(keyed.status).toBe(200);
    } finally {
      f.close();
    }
  });

  it('uses agents passed in options and leaves them open on close()', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const f = createNodeHttpFetch({ httpAgent: agent });
    await (await f(`${server.url}/echo`)).text();
    f.close();
    expect(Object.keys(agent.freeSockets).length).toBe(1);
    agent.destroy();
  });
});
