// Bounded response bodies: a gzip bomb fails with a DwollaResponseTooLargeError, memory bounded.
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaResponseTooLargeError } from '../../src/index.js';
import { ok, startScriptedDwolla, type ScriptedDwolla } from './scripted-dwolla.js';

let fake: ScriptedDwolla;
beforeEach(async () => {
  fake = await startScriptedDwolla();
});
afterEach(() => fake.close());

// 200 MB of zeros compresses to about 200 KB.
const BOMB = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });

describe('maxResponseBytes', () => {
  it('a gzip body that expands past the default 10 MiB cap: DwollaResponseTooLargeError, memory bounded', async () => {
    expect(BOMB.length).toBeLessThan(300 * 1024);
    let closed = false;
    fake.script((_n, _r, res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(BOMB);
    });
    const before = process.memoryUsage().arrayBuffers;
    const error = await fake
      .client()
      .get('/bomb')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaResponseTooLargeError);
    expect((error as Error).message).toBe(
      'GET /bomb: the response body is larger than 10485760 bytes (maxResponseBytes)',
    );
    expect(fake.apiRequests()).toHaveLength(1); // not retried
    // Generous: far below the 200 MB the body would decode to.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 * 1024 * 1024);
    await expect.poll(() => closed).toBe(true); // the connection was released
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
});
