/**
 * The transport contract (src/transport/transport.ts), as every adapter must keep it: one
 * exchange on plain values, never a redirect followed or a request sent twice, bounded in time
 * and in size (compression bombs included), ended by the caller's signal, and nothing left
 * behind on that signal. Each adapter's test file runs it on its own adapter.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DwollaTransport, DwollaTransportRequest } from '../../src/index.js';
import { compressionBombs, peakRssGrowth } from '../helpers/compression-bombs.js';
import { routes, startServer, transportRequest, type TestServer } from './http-server.js';

const MiB = 1024 * 1024;

export interface OpenedTransport {
  transport: DwollaTransport;
  close(): Promise<void>;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Rejects with the error, or resolves 'resolved': for `expect(...).toMatchObject`. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );

export function transportContract(name: string, open: () => OpenedTransport): void {
  describe(`${name}: the transport contract`, () => {
    let server: TestServer;
    let opened: OpenedTransport;
    beforeAll(async () => {
      server = await startServer(routes);
      opened = open();
    });
    afterAll(async () => {
      await opened.close();
      await server.close();
    });

    const request = (path: string, extra?: Partial<DwollaTransportRequest>) =>
      transportRequest(server.url, path, extra);
    const send = (path: string, extra?: Partial<DwollaTransportRequest>) =>
      opened.transport.send(request(path, extra));

    it('sends method, path and query, headers and a text or bytes body, as given', async () => {
      const posted = await send('/echo?a=1&b=%20', {
        method: 'POST',
        headers: { 'x-trace': '7', 'content-type': 'application/json' },
        body: '{"a":"é"}',
      });
      expect(posted.status).toBe(200);
      expect(JSON.parse(text(posted.body))).toMatchObject({
        method: 'POST',
        body: '{"a":"é"}',
        query: '?a=1&b=%20',
        headers: { 'x-trace': '7', 'content-type': 'application/json' },
      });
      const bytes = await send('/echo', {
        method: 'PUT',
        body: new Uint8Array([0, 255, 7]),
      });
      expect(JSON.parse(text(bytes.body))).toMatchObject({ method: 'PUT', bytes: [0, 255, 7] });
    });

    it('answers with status, status text, lower-case headers (repeated ones joined) and bytes', async () => {
      const teapot = await send('/status-text');
      expect([teapot.status, teapot.statusText, teapot.body.byteLength]).toEqual([
        418,
        'I Am A Teapot',
        0,
      ]);
      const repeated = await send('/repeated');
      expect(repeated.headers['x-many']).toBe('a, b');
      expect(repeated.headers['content-type']).toBe('application/json');
      const chunked = await send('/chunked');
      expect(text(chunked.body)).toBe('x'.repeat(100_000));
      expect((await send('/no-content')).status).toBe(204);
      expect((await send('/not-found')).status).toBe(404);
    });

    it('never follows a redirect: the 3xx is the answer', async () => {
      const before = server.seen.length;
      const moved = await send('/redirect', { method: 'POST', body: 'x' });
      expect([moved.status, moved.headers.location]).toEqual([302, '/echo']);
      expect(server.seen.length - before).toBe(1);
    });

    it.each(['gzip', 'deflate', 'br'])('decodes a %s body', async (encoding) => {
      const answer = await send(`/encoded?as=${encoding}&size=5000`);
      expect(JSON.parse(text(answer.body))).toEqual({ text: 'e'.repeat(5000) });
    });

    it('bounds a body by maxResponseBytes: declared, streamed, or decoded', async () => {
      const limit = { maxResponseBytes: 1000 };
      for (const path of [
        '/declared?size=2000',
        '/chunked?chunks=3',
        '/encoded?as=gzip&size=5000',
      ]) {
        expect(await failure(send(path, limit)), path).toMatchObject({
          name: 'TransportError',
          failure: 'too-large',
        });
      }
      const atTheCap = await send('/declared?size=1000', limit);
      expect(atTheCap.body.byteLength).toBe(1000);
    });

    it('stops a compression bomb at the cap, memory bounded', async () => {
      const [bomb] = await compressionBombs(256); // gzip, 256 MiB decoded
      const bombServer = await startServer((_req, res) => {
        res.writeHead(200, { 'content-encoding': bomb!.encoding });
        res.end(bomb!.body);
      });
      try {
        const { result, growth } = await peakRssGrowth(() =>
          failure(
            opened.transport.send({ ...request('/'), url: new URL('/bomb', bombServer.url) }),
          ),
        );
        expect(result).toMatchObject({ name: 'TransportError', failure: 'too-large' });
        expect(growth).toBeLessThan(120 * MiB); // generous; far below the 256 MiB it decodes to
      } finally {
        await bombServer.close();
      }
    });

    it('ends an exchange at its time limit: no headers, or a stalled body', async () => {
      for (const path of ['/no-headers', '/stalled-body']) {
        const started = performance.now();
        expect(await failure(send(path, { timeoutMs: 300 })), path).toMatchObject({
          name: 'TransportError',
          failure: 'timeout',
        });
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(elapsed).toBeLessThan(5_000);
      }
    });

    it("ends at once when the caller's signal aborts, before or during the exchange", async () => {
      const aborted = AbortSignal.abort(new Error('gave up'));
      const before = server.seen.length;
      expect(await failure(send('/echo', { signal: aborted }))).toMatchObject({
        failure: 'aborted',
      });
      expect(server.seen.length).toBe(before);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('gave up')), 100);
      const started = performance.now();
      expect(await failure(send('/no-headers', { signal: controller.signal }))).toMatchObject({
        failure: 'aborted',
      });
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('keeps no listener on a long-lived signal once its exchanges are done', async () => {
      const signal = new AbortController().signal;
      for (let i = 0; i < 50; i++) await send('/echo', { signal });
      await failure(send('/no-headers', { signal, timeoutMs: 50 }));
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    });

    it('a connection that breaks after the status is `interrupted`, with the status; never sent again', async () => {
      const before = server.seen.length;
      expect(
        await failure(send('/reset-mid-response', { method: 'POST', body: '{}' })),
      ).toMatchObject({
        name: 'TransportError',
        failure: 'interrupted',
        status: 201,
      });
      expect(server.seen.length - before).toBe(1);
    });

    it('a body that cannot be decoded is `interrupted`, with the status', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        expect(await failure(send(`/corrupt?as=${encoding}`)), encoding).toMatchObject({
          name: 'TransportError',
          failure: 'interrupted',
          status: 200,
        });
      }
    });

    it('a connection refused rejects with the network error, not a TransportError', async () => {
      const gone = await startServer(routes);
      const url = new URL('/echo', gone.url);
      await gone.close();
      const error = await failure(opened.transport.send({ ...request('/'), url }));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).not.toBe('TransportError');
    });
  });
}
