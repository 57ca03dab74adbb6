// Attempt timeouts and the caller's signal, on a server that never answers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaAbortError, DwollaTimeoutError } from '../../src/index.js';
import { hang, ok, startScriptedDwolla, status, type ScriptedDwolla } from './scripted-dwolla.js';

describe('on the default transport', () => {
  let fake: ScriptedDwolla;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(async () => {
    fake = await startScriptedDwolla();
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await fake.close();
    process.off('unhandledRejection', onUnhandled);
  });

  describe('attemptTimeoutMs', () => {
    it('a hang fails with a DwollaTimeoutError naming method, path and limit; no unhandled rejection', async () => {
      fake.script((_n, _r, res) => hang(res));
      const started = performance.now();
      const error = await fake
        .client({ attemptTimeoutMs: 1500 })
        .post('/transfers', { a: 1 })
        .catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(DwollaTimeoutError);
      expect((error as Error).message).toBe(
        'POST /transfers: no complete response within 1500 ms (attemptTimeoutMs)',
      );
      expect(fake.apiRequests()).toHaveLength(3); // timeouts are retried (the POST is keyed)
      expect(elapsed).toBeGreaterThanOrEqual(3 * 1500 - 50);
      expect(elapsed).toBeLessThan(20_000); // generous: a shared machine
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).toEqual([]);
    });

    it('bounds the body too: headers then a stalled body time out', async () => {
      fake.script((_n, _r, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"partial":');
      });
      const error = await fake
        .client({ attemptTimeoutMs: 300, maxRetries: 0 })
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaTimeoutError);
    });

    it("the caller's signal cancels a hanging attempt at once", async () => {
      const controller = new AbortController();
      // Aborted once the attempt is on the wire and the server holds it.
      fake.script((_n, _r, res) => {
        hang(res);
        setTimeout(() => controller.abort(new Error('user gave up')), 50);
      });
      const started = performance.now();
      const error = await fake
        .client({ attemptTimeoutMs: 20_000 })
        .get('/x', { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(error).toBeInstanceOf(DwollaAbortError);
      expect((error as Error).cause).toEqual(new Error('user gave up'));
      expect(fake.apiRequests()).toHaveLength(1);
    });

    it("the caller's signal cancels the wait between retries", async () => {
      fake.script((_n, _r, res) => status(res, 503, { 'Retry-After': '30' }));
      const controller = new AbortController();
      const dwolla = fake.client({
        sleep: undefined,
        hooks: { onRetry: () => setTimeout(() => controller.abort(), 50) },
      });
      const started = performance.now();
      const error = await dwolla.get('/x', { signal: controller.signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaAbortError);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(fake.apiRequests()).toHaveLength(1);
    });

    it('a transport that ignores the signal still times out (its late answer is dropped)', async () => {
      fake.script((_n, _r, res) => ok(res));
      const slow: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (!url.endsWith('/token')) await new Promise((resolve) => setTimeout(resolve, 400));
        return fetch(input, { ...init, signal: undefined });
      };
      const error = await fake
        .client({ fetch: slow, attemptTimeoutMs: 100, maxRetries: 0 })
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaTimeoutError);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(unhandled).toEqual([]);
    });
  });
  describe('callTimeoutMs', () => {
    it('ends a call whose attempt hangs, with a DwollaTimeoutError naming callTimeoutMs', async () => {
      fake.script((_n, _r, res) => hang(res));
      const started = performance.now();
      const error = await fake
        .client({ callTimeoutMs: 400, attemptTimeoutMs: 20_000 })
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaTimeoutError);
      expect((error as Error).message).toBe(
        'GET /x: the call did not complete within 400 ms (callTimeoutMs)',
      );
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(fake.apiRequests()).toHaveLength(1);
    });

    it('covers the wait for a token', async () => {
      fake.tokenReplies.push((_r, res) => hang(res));
      const error = await fake
        .client({ callTimeoutMs: 300, tokenTimeoutMs: 20_000 })
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaTimeoutError);
      expect((error as Error).message).toMatch(/\(callTimeoutMs\)$/);
      expect(fake.apiRequests()).toHaveLength(0);
    });

    it('starts no retry wait that would end after it: the last answer is surfaced', async () => {
      fake.script((_n, _r, res) => status(res, 503, { 'Retry-After': '1' }));
      const started = performance.now();
      const error = await fake
        .client({ callTimeoutMs: 1_500, maxRetries: 5, sleep: undefined })
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503 });
      expect(fake.apiRequests()).toHaveLength(2); // the wait after the second would pass 1.5 s
      expect(performance.now() - started).toBeLessThan(10_000);
    });

    it("the caller's signal still ends the call first, and nothing is left on it", async () => {
      fake.script((_n, _r, res) => hang(res));
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user gave up')), 100);
      const error = await fake
        .client({ callTimeoutMs: 20_000 })
        .get('/x', { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaAbortError);
      expect((error as Error).cause).toEqual(new Error('user gave up'));
    });
  });
});
