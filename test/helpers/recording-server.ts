/**
 * A real node:http server on 127.0.0.1 (port 0) that records every request exactly as it
 * arrived on the wire (method, path, headers, raw body) before handing it to a handler.
 * Reusable by any test: `const server = await startRecordingServer(handler)`, then
 * `await server.close()` (also drops keep-alive and hanging sockets).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent (e.g. '/customers?limit=2'). */
  path: string;
  /** Lower-cased header names. */
  headers: IncomingHttpHeaders;
  /** The headers as they came: [name, value, name, value, …]. */
  rawHeaders: string[];
  /** Raw body text (UTF-8). */
  body: string;
  /** Raw body bytes, for binary bodies (uploads). */
  bytes: Buffer;
}

export type Handler = (request: RecordedRequest, res: ServerResponse) => unknown;

export interface RecordingServer {
  /** e.g. 'http://127.0.0.1:54321' */
  origin: string;
  url(path: string): string;
  /** Every request received, in arrival order (recorded once its body is complete). */
  readonly requests: RecordedRequest[];
  /** Replace the handler. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

const notFound: Handler = (_request, res) => sendJson(res, 404, { code: 'NotFound' });

export async function startRecordingServer(handler: Handler = notFound): Promise<RecordingServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: bytes.toString('utf8'),
        bytes,
      };
      requests.push(recorded);
      Promise.resolve()
        .then(() => current(recorded, res))
        .catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
  });
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => origin + path,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
