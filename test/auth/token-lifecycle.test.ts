// Behaviours 3 (reuse window, monotonic clock), 4 (single-flight) and 5 (failures, retries, timeout, caller signal).
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DwollaError, DwollaTokenError } from '../../src/index.js';
import { sendJson } from '../helpers/recording-server.js';
import {
  KEY,
  SECRET,
  fakeClock,
  noSleep,
  startFakeDwolla,
  type FakeDwolla,
} from './fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(async () => {
  vi.useRealTimers();
  await fake.close();
});

const options = () => ({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });

describe('reuse (behaviour 3)', () => {
  it('reuses a 3600 s token until 60 s before expiry', async () => {
    const clock = fakeClock();
    const dwolla = testClient({ ...options(), clock: clock.now });
    expect(await dwolla.getAccessToken()).toBe('tok-1');
    clock.advance(3_540_000 - 1);
    expect(await dwolla.getAccessToken()).toBe('tok-1');
    clock.advance(1);
    expect(await dwolla.getAccessToken()).toBe('tok-2');
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('reuses a 2 s token for 1 s (window = lifetime / 2)', async () => {
    fake.expiresIn = 2;
    const clock = fakeClock(5_000);
    const dwolla = testClient({ ...options(), clock: clock.now });
    await dwolla.getAccessToken();
    clock.advance(999);
    expect(await dwolla.getAccessToken()).toBe('tok-1');
    clock.advance(1);
    expect(await dwolla.getAccessToken()).toBe('tok-2');
  });

  it('50 calls 100 ms apart with expires_in=2 make exactly 5 token requests', async () => {
    fake.expiresIn = 2;
    const clock = fakeClock();
    const dwolla = testClient({ ...options(), clock: clock.now });
    for (let i = 0; i < 50; i++) {
      await dwolla.get('/ping');
      clock.advance(100);
    }
    expect(fake.apiRequests()).toHaveLength(50);
    expect(fake.tokenRequests()).toHaveLength(5);
    const bearers = fake.apiRequests().map((r) => r.headers.authorization);
    expect(bearers.slice(0, 10).every((b) => b === 'Bearer tok-1')).toBe(true);
    expect(bearers[49]).toBe('Bearer tok-5');
  });

  it('measures the lifetime from when the request started', async () => {
    fake.expiresIn = 2;
    const clock = fakeClock();
    const dwolla = testClient({ ...options(), clock: clock.now });
    fake.tokenReplies.push((_r, res) => {
      clock.advance(500); // the token endpoint took 500 ms
      sendJson(res, 200, { access_token: 'slow', token_type: 'bearer', expires_in: 2 });
    });
    await dwolla.getAccessToken();
    clock.advance(499); // t = 999
    expect(await dwolla.getAccessToken()).toBe('slow');
    clock.advance(1); // t = 1000 = start + 2000 − 1000
    expect(await dwolla.getAccessToken()).toBe('tok-1');
  });

  it('ignores the wall clock (Date) jumping', async () => {
    const dwolla = testClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    await dwolla.getAccessToken();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 3600_000);
    expect(await dwolla.getAccessToken()).toBe('tok-1');
    expect(fake.tokenRequests()).toHaveLength(1);
  });
});

describe('single-flight (behaviour 4)', () => {
  it('1,000 concurrent API calls on a cold client make exactly 1 token request', async () => {
    const dwolla = testClient(options());
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => dwolla.get(`/ping/${i}`)),
    );
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.apiRequests()).toHaveLength(1000);
    expect(new Set(fake.apiRequests().map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer tok-1']),
    );
  });

  it('1,000 concurrent getAccessToken calls share one request', async () => {
    const dwolla = testClient(options());
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => dwolla.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    expect(fake.tokenRequests()).toHaveLength(1);
  });

  it('two clients never share a token (no module-level state)', async () => {
    const a = testClient(options());
    const b = testClient(options());
    expect(await a.getAccessToken()).toBe('tok-1');
    expect(await b.getAccessToken()).toBe('tok-2');
  });
});

describe('failures, retries and timeout (behaviour 5)', () => {
  const reply = (
    status: number,
    body: unknown = { error: 'server_error' },
    headers: Record<string, string> = {},
  ) => fake.tokenReplies.push((_r, res) => sendJson(res, status, body, headers));
  const dropConnection = () => fake.tokenReplies.push((_r, res) => res.socket?.destroy());

  it('never caches a failure: the next call tries again', async () => {
    const dwolla = testClient(options());
    reply(401, { error: 'invalid_client' });
    await expect(dwolla.getAccessToken()).rejects.toBeInstanceOf(DwollaTokenError);
    await expect(dwolla.getAccessToken()).resolves.toBe('tok-1');
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('a failed refresh while the cached token is still valid serves it, warns once and tries again later', async () => {
    const clock = fakeClock();
    const warnings: string[] = [];
    const dwolla = testClient({
      ...options(),
      clock: clock.now,
      onWarning: (message) => warnings.push(message),
    });
    await dwolla.get('/before');
    clock.advance(3_570_000); // 30 s before expiry: inside the refresh window
    for (let i = 0; i < 3; i++) reply(503);
    await expect(dwolla.get('/during-outage')).resolves.toMatchObject({
      response: { status: 200 },
    });
    expect(fake.tokenRequests()).toHaveLength(4); // the first, then 3 attempts of the refresh
    await dwolla.get('/right-after'); // not another failing refresh per call
    expect(fake.tokenRequests()).toHaveLength(4);
    clock.advance(5_000);
    await dwolla.get('/later'); // tries again, and gets a new token
    expect(fake.tokenRequests()).toHaveLength(5);
    expect(fake.apiRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/token refresh failed .*HTTP 503.*; using the cached token/);
  });

  it('a failed refresh once the cached token has expired fails the call', async () => {
    const clock = fakeClock();
    const dwolla = testClient({ ...options(), clock: clock.now });
    await dwolla.get('/before');
    clock.advance(3_600_000);
    for (let i = 0; i < 3; i++) reply(503);
    await expect(dwolla.get('/after-expiry')).rejects.toBeInstanceOf(DwollaTokenError);
    expect(fake.apiRequests()).toHaveLength(1);
  });

  it('concurrent waiters all see the shared failure, then the next call retries', async () => {
    const dwolla = testClient(options());
    reply(400, { error: 'invalid_request' });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => dwolla.get('/x')));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(fake.tokenRequests()).toHaveLength(1);
    await expect(dwolla.get('/x')).resolves.toMatchObject({ data: { path: '/x' } });
  });

  it.each([
    ['503', () => reply(503)],
    ['429', () => reply(429, { error: 'too_many_requests' })],
    ['a dropped connection', dropConnection],
  ])('retries %s at most twice with jittered backoff', async (_name, fail) => {
    fail();
    fail();
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
    };
    const dwolla = testClient({ ...options(), sleep, random: () => 0.5 });
    await expect(dwolla.getAccessToken()).resolves.toBe('tok-1');
    expect(fake.tokenRequests()).toHaveLength(3);
    expect(delays).toEqual([125, 250]); // 0.5 × 250 ms, 0.5 × 500 ms
  });

  it.each([
    ['delta-seconds', '2', 2000],
    // Whole seconds, and a loaded machine may take a while to send: a generous margin below 3 s.
    ['an HTTP date', () => new Date(Date.now() + 3000).toUTCString(), 1000],
    ['a date already past', () => new Date(Date.now() - 5000).toUTCString(), 125],
    ['garbage', 'soon', 125],
  ])('waits at least the Retry-After of a 429 (%s)', async (_name, header, atLeast) => {
    const value = typeof header === 'function' ? header() : header;
    reply(429, { error: 'too_many_requests' }, { 'Retry-After': value });
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
    };
    const dwolla = testClient({ ...options(), sleep, random: () => 0.5 });
    await expect(dwolla.getAccessToken()).resolves.toBe('tok-1');
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(atLeast);
    expect(delays[0]).toBeLessThanOrEqual(Math.max(atLeast, 3000));
  });

  it('fails at once with the 429 when its Retry-After is past the timeout', async () => {
    reply(429, { error: 'too_many_requests' }, { 'Retry-After': '120' });
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
    };
    const dwolla = testClient({ ...options(), sleep, tokenTimeoutMs: 10_000 });
    await expect(dwolla.getAccessToken()).rejects.toMatchObject({
      name: 'DwollaTokenError',
      status: 429,
      code: 'too_many_requests',
    });
    expect(delays).toEqual([]);
    expect(fake.tokenRequests()).toHaveLength(1);
  });

  it('retries with the default (timer-based) sleep when none is injected', async () => {
    reply(503);
    const dwolla = testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      random: () => 0,
    });
    await expect(dwolla.getAccessToken()).resolves.toBe('tok-1');
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('gives up after the third attempt of a 5xx and keeps the status', async () => {
    for (let i = 0; i < 4; i++) reply(502);
    const dwolla = testClient(options());
    await expect(dwolla.getAccessToken()).rejects.toMatchObject({
      name: 'DwollaTokenError',
      status: 502,
      code: 'server_error',
    });
    expect(fake.tokenRequests()).toHaveLength(3);
  });

  it('reports a refused connection as a DwollaTokenError after retries', async () => {
    const closed = await startFakeDwolla();
    const tokenUrl = closed.server.url('/token');
    await closed.close();
    const dwolla = testClient({ ...options(), tokenUrl });
    const error = await dwolla.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaTokenError);
    expect(error).toMatchObject({ status: undefined, code: undefined });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('fails a hanging token endpoint within tokenTimeoutMs, then recovers', async () => {
    fake.tokenReplies.push(() => {}); // never answers
    const dwolla = testClient({ ...options(), tokenTimeoutMs: 200 });
    const started = performance.now();
    const error = await dwolla.get('/x').catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(DwollaTokenError);
    expect((error as Error).message).toMatch(/within 200 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    expect(fake.apiRequests()).toHaveLength(0);
    await expect(dwolla.get('/x')).resolves.toBeDefined();
  });

  it('bounds retries and backoff by the same timeout', async () => {
    for (let i = 0; i < 3; i++) reply(500);
    // The backoff (225 ms at this jitter) is longer than what is left of the 100 ms: the wait
    // is not started, and the server's 500 is the error (no attempt could follow the wait).
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const dwolla = testClient({ ...options(), tokenTimeoutMs: 100, sleep, random: () => 0.9 });
    const started = performance.now();
    const error = await dwolla.getAccessToken().catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(DwollaTokenError);
    expect(error).toMatchObject({ status: 500 });
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(waits).toHaveLength(0);
  });

  it('waits between token attempts when the backoff fits in the timeout', async () => {
    reply(500);
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const dwolla = testClient({ ...options(), tokenTimeoutMs: 5_000, sleep, random: () => 0.9 });
    await expect(dwolla.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(waits).toEqual([225]);
  });

  it("a caller's signal ends only that caller's wait; the shared request carries on", async () => {
    let pending: ServerResponse | undefined;
    fake.tokenReplies.push((_r, res) => {
      pending = res;
    });
    const dwolla = testClient(options());
    const controller = new AbortController();
    const waiting = dwolla.get('/mine', { signal: controller.signal });
    const other = dwolla.get('/theirs');
    await vi.waitFor(() => expect(pending).toBeDefined());

    const reason = new Error('user gave up');
    controller.abort(reason);
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect((error as Error).cause).toBe(reason);

    fake.issue(pending!);
    await expect(other).resolves.toMatchObject({ data: { path: '/theirs' } });
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.apiRequests().map((r) => r.path)).toEqual(['/theirs']);
  });

  it('an already-aborted signal sends nothing', async () => {
    const dwolla = testClient(options());
    const signal = AbortSignal.abort();
    await expect(dwolla.getAccessToken({ signal })).rejects.toBeInstanceOf(DwollaError);
    await expect(dwolla.get('/x', { signal })).rejects.toBeInstanceOf(DwollaError);
    expect(fake.server.requests).toHaveLength(0);
  });
});
