// Bounded response bodies: a compression bomb fails with a DwollaResponseTooLargeError, once
// (never retried), with the memory of the process bounded. (Each transport adapter's own bound
// is in test/transport/.)
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DwollaResponseTooLargeError, type DwollaTransport } from '../../src/index.js';
import { compressionBombs, peakRssGrowth, type Bomb } from '../helpers/compression-bombs.js';
import { ok, startScriptedDwolla, type ScriptedDwolla } from './scripted-dwolla.js';

const MiB = 1024 * 1024;

let bombs: Bomb[];
beforeAll(async () => {
  bombs = await compressionBombs(1024); // 1 GiB each
});

let fake: ScriptedDwolla;
beforeEach(async () => {
  fake = await startScriptedDwolla();
});
afterEach(() => fake.close());

describe('maxResponseBytes with a transport of your own', () => {
  it('an answer it kept over the cap (it was told the cap) still fails', async () => {
    fake.script((_n, _r, res) => ok(res, { pad: 'x'.repeat(2000) }));
    const lax: DwollaTransport = {
      async send(request) {
        const response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit | undefined,
        });
        const body = new Uint8Array(await response.arrayBuffer());
        return { status: response.status, statusText: '', headers: {}, body };
      },
    };
    const dwolla = fake.client({ maxResponseBytes: 1000, transport: lax });
    await expect(dwolla.get('/big')).rejects.toThrow(
      new DwollaResponseTooLargeError(
        'GET /big: the response body is larger than 1000 bytes (maxResponseBytes)',
      ),
    );
    expect(fake.apiRequests()).toHaveLength(1);
  });
});

describe('maxResponseBytes', () => {
  it.each(['gzip', 'deflate', 'br'])(
    'a %s body that decodes to 1 GiB: DwollaResponseTooLargeError at the default 10 MiB cap, sent once, memory bounded',
    async (encoding) => {
      const bomb = bombs.find((b) => b.encoding === encoding)!;
      expect(bomb.body.length).toBeLessThan(5 * MiB);
      expect(bomb.decodedBytes).toBe(1024 * MiB);
      let closed = false;
      fake.script((_n, _r, res) => {
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
        res.end(bomb.body);
      });
      const dwolla = fake.client();
      await dwolla.getAccessToken(); // the token request's memory is not the bomb's
      const buffersBefore = process.memoryUsage().arrayBuffers;
      const { result: error, growth } = await peakRssGrowth(() =>
        dwolla.get('/bomb').catch((e: unknown) => e),
      );
      expect(error).toBeInstanceOf(DwollaResponseTooLargeError);
      expect((error as Error).message).toBe(
        'GET /bomb: the response body is larger than 10485760 bytes (maxResponseBytes)',
      );
      expect(fake.apiRequests()).toHaveLength(1); // not retried
      // Generous for a shared machine, and still far below the 1 GiB the body decodes to.
      expect(growth).toBeLessThan(160 * MiB);
      expect(process.memoryUsage().arrayBuffers - buffersBefore).toBeLessThan(100 * MiB);
      await expect.poll(() => closed).toBe(true); // the connection was released
    },
  );

  it('the client passes its own maxResponseBytes: a compressed body over it fails, one at it passes', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = (n: number) => JSON.stringify({ pad: 'z'.repeat(n) });
    fake.script((n, _r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(n === 0 ? body(5000) : body(990 - body(0).length)));
    });
    const dwolla = fake.client({ maxResponseBytes: 1000 });
    await expect(dwolla.get('/big')).rejects.toThrow(
      new DwollaResponseTooLargeError(
        'GET /big: the response body is larger than 1000 bytes (maxResponseBytes)',
      ),
    );
    await expect(dwolla.get('/small')).resolves.toMatchObject({
      data: { pad: expect.any(String) },
    });
    expect(fake.apiRequests()).toHaveLength(2);
  });

  it('a declared Content-Length over the cap fails before reading; a body at the cap passes', async () => {
    fake.script((n, _r, res) => {
      if (n === 0) {
        res.writeHead(200, { 'Content-Length': '2000' });
        return res.end('x'.repeat(2000));
      }
      return ok(res, { pad: 'y'.repeat(100) });
    });
    const dwolla = fake.client({ maxResponseBytes: 1000 });
    await expect(dwolla.get('/big')).rejects.toBeInstanceOf(DwollaResponseTooLargeError);
    await expect(dwolla.get('/small')).resolves.toMatchObject({ data: { pad: 'y'.repeat(100) } });
  });

  it('an empty body is handed on as a null body (a 201 with a Location), a JSON body intact', async () => {
    fake.script((n, _r, res) => {
      if (n === 0) {
        res.writeHead(201, { Location: `${fake.origin}/customers/1` });
        return res.end();
      }
      return ok(res, { pad: 'y'.repeat(100) });
    });
    const dwolla = fake.client();
    const created = await dwolla.fetch(`${fake.origin}/customers`, { method: 'POST', body: '{}' });
    expect([created.status, created.body, created.headers.get('Location')]).toEqual([
      201,
      null,
      `${fake.origin}/customers/1`,
    ]);
    expect(await created.text()).toBe('');
    const got = await dwolla.fetch(`${fake.origin}/x`);
    expect([got.url, got.bodyUsed]).toEqual([`${fake.origin}/x`, false]);
    expect(await got.json()).toEqual({ pad: 'y'.repeat(100) });
    expect(got.bodyUsed).toBe(true);
    await expect(got.text()).rejects.toThrow(TypeError);
  });

  it('an unencoded chunked body over the cap fails, sent once', async () => {
    fake.script((_n, _r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('x'.repeat(800));
      res.end('x'.repeat(800));
    });
    const dwolla = fake.client({ maxResponseBytes: 1000 });
    await expect(dwolla.get('/chunked')).rejects.toBeInstanceOf(DwollaResponseTooLargeError);
    expect(fake.apiRequests()).toHaveLength(1);
  });
});
