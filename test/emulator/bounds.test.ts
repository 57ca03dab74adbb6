// Bounded answers, request log and state; the optional rate limit.
import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { api, emulator, getToken, person } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A body with `n` members the fixture's CreateCustomer does not allow (additionalProperties: false). */
const withUnknownMembers = (n: number) => {
  const body: Record<string, unknown> = { firstName: 'Jane', lastName: 'Doe', email: 'j@d.com' };
  for (let i = 0; i < n; i++) body[`x${i}`] = i;
  return body;
};

describe('bounds', () => {
  it('lists the first 100 validation errors and says how many there were', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    const token = await getToken(emu.url);
    const response = await api(emu.url, token, '/customers', { body: withUnknownMembers(250) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body._embedded.errors).toHaveLength(100);
    expect(body._embedded.errors[0]).toMatchObject({ code: 'NotAllowed', path: '/x0' });
    expect(body.message).toContain('The first 100 of 250 are listed.');
  });

  it('answers a large invalid body with its first error, quickly, and stays responsive', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    const token = await getToken(emu.url);
    const big = JSON.stringify(withUnknownMembers(20_000));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const started = performance.now();
    const slow = api(emu.url, token, '/customers', { body: big });
    const probes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect((await api(emu.url, token, '/customers')).status).toBe(200);
      probes.push(performance.now() - t);
    }
    const response = await slow;
    const elapsed = performance.now() - started;
    console.info(`20,000-member invalid body: ${elapsed.toFixed(0)} ms; probes ${probes}`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(2000);
    expect((JSON.parse(text) as Json)._embedded.errors).toHaveLength(1);
    expect(elapsed).toBeLessThan(5000); // generous: the machine is shared
    expect(Math.max(...probes)).toBeLessThan(2000);

    const tooBig = await api(emu.url, token, '/customers', { body: 'x'.repeat(1024 * 1024 + 1) });
    expect(tooBig.status).toBe(413);
  });

  it('logs a bounded prefix of each body and never an access token or the secret', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    const token = await getToken(emu.url);
    await api(emu.url, token, '/customers', {
      body: { ...person(1), type: 'personal', note: 'y'.repeat(50_000) },
    });
    const log = emu.requests();
    const text = JSON.stringify(log);
    expect(text).not.toContain(token);
    expect(log[0]!.response!.body).toContain('[redacted]');
    const post = log.find((r) => r.method === 'POST' && r.path === '/customers')!;
    expect(post.body.length).toBeLessThan(5000);
    expect(post.body).toMatch(/more characters\]$/);
  });

  it('drops the oldest resources past stateLimits', async () => {
    const emu = await emulator({ spec: fixtureSpec(), stateLimits: { resources: 3 } });
    const token = await getToken(emu.url);
    const locations: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = { firstName: `N${i}`, lastName: 'L', email: 'n@l.com' };
      const response = await api(emu.url, token, '/customers', { body });
      locations.push(response.headers.get('location')!);
    }
    const status = async (href: string) =>
      (await api(emu.url, token, href.replace(emu.url, ''))).status;
    expect(await Promise.all(locations.map(status))).toEqual([404, 404, 200, 200, 200]);
    const list = (await (await api(emu.url, token, '/customers')).json()) as Json;
    expect(list.total).toBe(3);
  });

  it('answers 429 TooManyRequests beyond rateLimit.requestsPerSecond, with Retry-After', async () => {
    let clock = 1_000_000;
    const emu = await emulator({
      spec: fixtureSpec(),
      rateLimit: { requestsPerSecond: 3 },
      now: () => clock,
    });
    const token = await getToken(emu.url); // the first request of this second
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await api(emu.url, token, '/customers');
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(limited!.headers.get('retry-after')).toBe('1');
    expect(((await limited!.json()) as Json).code).toBe('TooManyRequests');
    clock += 1000;
    expect((await api(emu.url, token, '/customers')).status).toBe(200);
    await expect(emulator({ rateLimit: { requestsPerSecond: 0 } })).rejects.toThrow(
      /requestsPerSecond/,
    );
  });
});
