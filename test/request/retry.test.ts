// Retries through the public client on a scripted loopback server: which outcomes are retried,
// how many attempts, how long the waits, and what the caller finally sees.
import { describe, expect, it } from 'vitest';
import {
  DwollaApiError,
  DwollaIdempotencyError,
  DwollaNetworkError,
  type DwollaRetryEvent,
} from '../../src/index.js';
import { sendJson } from '../helpers/recording-server.js';
import {
  hang,
  ok,
  reset,
  eachScriptedDwolla,
  status,
  type ScriptedDwolla,
} from './scripted-dwolla.js';

describe('on the default transport', () => {
  let fake!: ScriptedDwolla;
  eachScriptedDwolla((f) => (fake = f));

  const attempts = () => fake.apiRequests().length;

  describe('retries', () => {
    it('429 twice, then 200: three attempts, resolves', async () => {
      fake.script((n, _r, res) => (n < 2 ? status(res, 429) : ok(res)));
      const result = await fake.client().get('/customers');
      expect(result.data).toEqual({ ok: true });
      expect(attempts()).toBe(3);
    });

    it('waits at least what Retry-After: 1 asks (real timers)', async () => {
      fake.script((n, _r, res) => (n === 0 ? status(res, 429, { 'Retry-After': '1' }) : ok(res)));
      const dwolla = fake.client({ sleep: undefined, random: () => 0 });
      const started = performance.now();
      await dwolla.get('/customers');
      expect(performance.now() - started).toBeGreaterThanOrEqual(990);
      expect(attempts()).toBe(2);
    });

    it('honours Retry-After as an HTTP date', async () => {
      const waits: number[] = [];
      const when = new Date(Date.now() + 5_000).toUTCString();
      fake.script((n, _r, res) => (n === 0 ? status(res, 503, { 'Retry-After': when }) : ok(res)));
      await fake.client({ sleep: async (ms) => void waits.push(ms), random: () => 0 }).get('/x');
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(2_000);
      expect(waits[0]).toBeLessThanOrEqual(5_000);
    });

    it('surfaces a 429 at once when Retry-After asks for more than a minute', async () => {
      fake.script((_n, _r, res) => status(res, 429, { 'Retry-After': '3600' }));
      const error = await fake
        .client()
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DwollaApiError', status: 429 });
      expect(attempts()).toBe(1);
    });

    it('503 once, then 200', async () => {
      fake.script((n, _r, res) => (n === 0 ? status(res, 503) : ok(res)));
      await expect(fake.client().get('/x')).resolves.toMatchObject({ response: { status: 200 } });
      expect(attempts()).toBe(2);
    });

    it.each([500, 502, 504])('retries %i', async (code) => {
      fake.script((n, _r, res) => (n === 0 ? status(res, code) : ok(res)));
      await fake.client().get('/x');
      expect(attempts()).toBe(2);
    });

    it('429 always: rejects after 3 attempts with status 429, waits full-jitter backoff', async () => {
      const retries: DwollaRetryEvent[] = [];
      const waits: number[] = [];
      fake.script((_n, _r, res) => status(res, 429));
      const dwolla = fake.client({
        sleep: async (ms) => void waits.push(ms),
        random: () => 0.999,
        hooks: { onRetry: (event) => retries.push(event) },
      });
      const error = await dwolla.get('/x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaApiError);
      expect(error).toMatchObject({ status: 429, code: 'Http429' });
      expect(attempts()).toBe(3);
      // Uniform in [0, 500 · 2^n): with random → 1 the waits approach 500 and 1000.
      expect(waits).toEqual([499, 999]);
      expect(retries.map((r) => [r.attempt, r.reason, r.delayMs])).toEqual([
        [1, 'HTTP 429', 499],
        [2, 'HTTP 429', 999],
      ]);
    });

    it('404 with X-Request-Id: one attempt, requestId on the error and in its message', async () => {
      fake.script((_n, _r, res) =>
        sendJson(
          res,
          404,
          { code: 'NotFound', message: 'Not found.' },
          { 'X-Request-Id': 'req-404' },
        ),
      );
      const error = await fake
        .client()
        .get('/customers/1')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaApiError);
      expect(error).toMatchObject({ status: 404, code: 'NotFound', requestId: 'req-404' });
      expect((error as Error).message).toBe(
        'Dwolla API GET /customers/1: HTTP 404 NotFound: Not found. (request id req-404)',
      );
      expect((error as Error).stack).toContain('DwollaApiError');
      expect(attempts()).toBe(1);
    });

    it('400 is not retried, and names the first field that failed', async () => {
      fake.script((_n, _r, res) =>
        sendJson(res, 400, {
          code: 'ValidationError',
          message: 'Validation error(s) present. See embedded errors list for more details.',
          _embedded: {
            errors: [{ code: 'Required', message: 'Email is required.', path: '/email' }],
          },
        }),
      );
      const error = await fake
        .client()
        .post('/customers', {})
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaApiError);
      expect((error as DwollaApiError).details[0]?.path).toBe('/email');
      expect((error as Error).message).toContain('ValidationError: /email: Email is required.');
      expect(attempts()).toBe(1);
    });

    it('409 on a keyed POST is not retried and says what to do', async () => {
      fake.script((_n, _r, res) => sendJson(res, 409, { code: 'Conflict', message: 'in flight' }));
      const error = await fake
        .client()
        .post('/transfers', { a: 1 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaIdempotencyError);
      expect(error).toBeInstanceOf(DwollaApiError);
      expect(error).toMatchObject({ status: 409, code: 'Conflict' });
      expect((error as Error).message).toMatch(/Idempotency-Key is locked/);
      expect((error as Error).message).toMatch(/24 h/);
      expect((error as Error).message).toMatch(/check whether the resource was created/);
      expect(attempts()).toBe(1);
    });

    it('409 "key in flight" to a retry waits for the earlier attempt: its 201 comes back, one transfer', async () => {
      // Attempt 1 is still running on the server when it times out here; the retry, same key,
      // is told 409 in flight; the next one gets the original 201 replayed.
      fake.script((n, _r, res) =>
        n === 0
          ? hang(res)
          : n === 1
            ? sendJson(res, 409, { code: 'Conflict', message: 'still being handled' })
            : (res.writeHead(201, { Location: `${fake.origin}/transfers/t-1` }), res.end()),
      );
      const retries: DwollaRetryEvent[] = [];
      const result = await fake
        .client({ attemptTimeoutMs: 300, hooks: { onRetry: (e) => void retries.push(e) } })
        .post('/transfers', { a: 1 });
      expect(result.location).toBe(`${fake.origin}/transfers/t-1`);
      expect(attempts()).toBe(3);
      expect(new Set(fake.apiRequests().map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(retries.map((e) => e.status)).toEqual([undefined, 409]);
    });

    it('409 "key in flight" to a retry is retried at most maxRetries times, then a DwollaIdempotencyError', async () => {
      fake.script((n, _r, res) =>
        n === 0 ? hang(res) : sendJson(res, 409, { code: 'Conflict', message: 'in flight' }),
      );
      const error = await fake
        .client({ attemptTimeoutMs: 300, maxRetries: 3 })
        .post('/transfers', { a: 1 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaIdempotencyError);
      expect(attempts()).toBe(4);
    });

    it('a 409 about the resource (not the key) to a retry is not retried', async () => {
      fake.script((n, _r, res) =>
        n === 0 ? hang(res) : sendJson(res, 409, { code: 'DuplicateResource', message: 'exists' }),
      );
      const error = await fake
        .client({ attemptTimeoutMs: 300 })
        .post('/transfers', { a: 1 })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 409, code: 'DuplicateResource' });
      expect(error).not.toBeInstanceOf(DwollaIdempotencyError);
      expect(attempts()).toBe(2);
    });

    it('maxRetries: 0 turns retries off', async () => {
      fake.script((_n, _r, res) => status(res, 503));
      const error = await fake
        .client({ maxRetries: 0 })
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503 });
      expect(attempts()).toBe(1);
    });

    it('a dropped connection is retried, and after the last retry is a DwollaNetworkError', async () => {
      fake.script((_n, _r, res) => reset(res));
      const error = await fake
        .client()
        .get('/x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaNetworkError);
      expect((error as Error).cause).toBeDefined();
      expect(attempts()).toBe(3);
    });

    it('a hanging attempt times out and is retried', async () => {
      fake.script((n, _r, res) => (n === 0 ? hang(res) : ok(res)));
      await expect(fake.client({ attemptTimeoutMs: 300 }).get('/x')).resolves.toMatchObject({
        data: { ok: true },
      });
      expect(attempts()).toBe(2);
    });

    it('PATCH without an Idempotency-Key is not retried; with one it is', async () => {
      fake.script((_n, _r, res) => status(res, 503));
      const dwolla = fake.client();
      await dwolla.fetch(fake.origin + '/x', { method: 'PATCH', body: '{}' }).catch(() => {});
      expect(attempts()).toBe(1);
      await dwolla
        .fetch(fake.origin + '/x', {
          method: 'PATCH',
          body: '{}',
          headers: { 'Idempotency-Key': 'k-1' },
        })
        .catch(() => {});
      expect(attempts()).toBe(4);
    });
  });
});
