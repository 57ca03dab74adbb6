import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { api, emulator, getToken, tokenRequest } from './helpers.js';

async function started() {
  const emu = await emulator({ spec: fixtureSpec(), state: false });
  return { emu, token: await getToken(emu.url) };
}

describe('fault controls', () => {
  it('answers the next N requests with the given status, then normally', async () => {
    const { emu, token } = await started();
    emu.fault({ status: 500, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(emu.url, token, '/customers')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('sends a default Dwolla error body, or the given body and headers (429 + Retry-After)', async () => {
    const { emu, token } = await started();
    emu.fault({ status: 503 });
    const first = await api(emu.url, token, '/customers');
    expect(await first.json()).toEqual({ code: 'ServiceUnavailable', message: expect.any(String) });
    emu.fault({
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { code: 'TooManyRequests', message: 'slow down' },
    });
    const limited = await api(emu.url, token, '/customers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ code: 'TooManyRequests', message: 'slow down' });
    emu.fault({ status: 502, body: '<html>bad gateway</html>' });
    const html = await api(emu.url, token, '/customers');
    expect(html.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await html.text()).toBe('<html>bad gateway</html>');
  });

  it('applies only to the given path (concrete or template) and method', async () => {
    const { emu, token } = await started();
    emu.fault({ path: '/customers/{id}', status: 500, count: Infinity });
    emu.fault({ path: '/customers', method: 'post', status: 409 });
    expect((await api(emu.url, token, '/customers')).status).toBe(200);
    expect((await api(emu.url, token, '/customers/a')).status).toBe(500);
    expect((await api(emu.url, token, '/customers/b')).status).toBe(500);
    const body = { firstName: 'J', lastName: 'D', email: 'j@d.co' };
    expect((await api(emu.url, token, '/customers', { body })).status).toBe(409);
    expect((await api(emu.url, token, '/customers', { body })).status).toBe(201);
    emu.clearFaults();
    expect((await api(emu.url, token, '/customers/a')).status).toBe(200);
    emu.fault({ path: '/customers/a', status: 418 });
    expect((await api(emu.url, token, '/customers/b')).status).toBe(200);
    expect((await api(emu.url, token, '/customers/a')).status).toBe(418);
  });

  it('applies to the token endpoint too', async () => {
    const { emu } = await started();
    emu.fault({ path: '/token', status: 500 });
    expect((await tokenRequest(emu.url)).status).toBe(500);
    expect((await tokenRequest(emu.url)).status).toBe(200);
  });

  it('adds latency, to a normal answer or a faulted one', async () => {
    const { emu, token } = await started();
    emu.fault({ latencyMs: 300 });
    let started_ = performance.now();
    expect((await api(emu.url, token, '/customers')).status).toBe(200);
    expect(performance.now() - started_).toBeGreaterThanOrEqual(290);
    emu.fault({ latencyMs: 200, status: 500 });
    started_ = performance.now();
    expect((await api(emu.url, token, '/customers')).status).toBe(500);
    expect(performance.now() - started_).toBeGreaterThanOrEqual(190);
    started_ = performance.now();
    expect((await api(emu.url, token, '/customers')).status).toBe(200);
    expect(performance.now() - started_).toBeLessThan(190);
  });

  it('hangs a request until the client gives up, and close() ends hanging connections', async () => {
    const { emu, token } = await started();
    emu.fault({ hang: true, count: 2 });
    const aborted = fetch(`${emu.url}/customers`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(200),
    });
    await expect(aborted).rejects.toThrow(/abort|timeout/i);
    const hanging = api(emu.url, token, '/customers');
    await expectCloseToEnd(emu, hanging);
  });

  it('close() also ends a request waiting out its latency', async () => {
    const { emu, token } = await started();
    emu.fault({ latencyMs: 60_000 });
    await expectCloseToEnd(emu, api(emu.url, token, '/customers'));
  });

  it('refuses faults that make no sense', async () => {
    const { emu } = await started();
    expect(() => emu.fault({})).toThrow(TypeError);
    expect(() => emu.fault({ status: 99 })).toThrow(RangeError);
    expect(() => emu.fault({ status: 500, count: 0 })).toThrow(RangeError);
    expect(() => emu.fault({ latencyMs: -1 })).toThrow(RangeError);
  });
});

/** close() returns within a second and the request still waiting fails instead of hanging. */
async function expectCloseToEnd(emu: Emulator, waiting: Promise<unknown>): Promise<void> {
  const outcome = waiting.then(
    () => 'answered',
    () => 'failed',
  );
  await new Promise((r) => setTimeout(r, 100));
  const closing = performance.now();
  await emu.close();
  expect(performance.now() - closing).toBeLessThan(1000);
  expect(await outcome).toBe('failed');
}
