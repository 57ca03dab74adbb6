/**
 * The transport tests' server: a real node:http (or https) server on 127.0.0.1:0 that records
 * what arrived and counts connections, with the routes every adapter's contract test uses.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { DwollaTransportRequest } from '../../src/index.js';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface TestServer {
  url: string;
  seen: Seen[];
  connections: number;
  /** The most connections open at once. */
  maxOpen: number;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

export async function startServer(
  handler: Handler,
  tls?: https.ServerOptions,
): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0, maxOpen: 0 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
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

export const json = (res: http.ServerResponse, status: number, value: unknown, extra = {}) => {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
    ...extra,
  });
  res.end(body);
};

const ENCODERS: Record<string, (b: Buffer) => Buffer> = {
  gzip: gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
};

/** The routes of the contract tests. */
export const routes: Handler = (req, res, body) => {
  const url = new URL(req.url!, 'http://x');
  switch (url.pathname) {
    case '/echo':
      return json(res, 200, {
        method: req.method,
        body: body.toString('utf8'),
        bytes: [...body],
        headers: req.headers,
        query: url.search,
      });
    case '/no-content':
      res.writeHead(204);
      return res.end();
    case '/encoded': {
      const encoding = url.searchParams.get('as')!;
      const size = Number(url.searchParams.get('size') ?? 0);
      const text = JSON.stringify({ text: 'e'.repeat(size) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      return res.end(ENCODERS[encoding]!(Buffer.from(text)));
    }
    case '/corrupt':
      // Says it is compressed; is not.
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': url.searchParams.get('as')!,
      });
      return res.end('{"not":"compressed at all"}');
    case '/chunked': {
      const chunks = Number(url.searchParams.get('chunks') ?? 100);
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < chunks; i++) res.write('x'.repeat(1000));
      return res.end();
    }
    case '/declared': {
      const size = Number(url.searchParams.get('size'));
      res.writeHead(200, { 'content-length': size });
      return res.end('d'.repeat(size));
    }
    case '/repeated':
      res.setHeader('x-many', ['a', 'b']);
      return json(res, 200, {});
    case '/status-text':
      res.writeHead(418, 'I Am A Teapot');
      return res.end();
    case '/redirect':
      res.writeHead(302, { location: '/echo' });
      return res.end('moved');
    case '/not-found':
      return json(res, 404, { code: 'NotFound' });
    case '/no-headers':
      return; // never answers
    case '/stalled-body':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('partial');
      return; // never finishes
    case '/reset-mid-response':
      // Status line, headers and part of the body, then the connection breaks.
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 10).unref();
      return;
    case '/slow':
      setTimeout(() => json(res, 200, { slow: true }), Number(url.searchParams.get('ms'))).unref();
      return;
    default:
      return json(res, 404, { code: 'NoRoute' });
  }
};

/** Answers `/token` with a bearer token, anything else with `api`. */
export const tokenOr =
  (api: Handler): Handler =>
  (req, res, body) =>
    req.url === '/token'
      ? json(res, 200, { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 })
      : api(req, res, body);

/** A transport request for `path` on `origin`: GET, no headers or body, 10 s, 10 MiB. */
export function transportRequest(
  origin: string,
  path: string,
  extra: Partial<DwollaTransportRequest> = {},
): DwollaTransportRequest {
  return {
    method: 'GET',
    url: new URL(path, origin),
    headers: {},
    body: undefined,
    timeoutMs: 10_000,
    signal: undefined,
    maxResponseBytes: 10 * 1024 * 1024,
    ...extra,
  };
}
