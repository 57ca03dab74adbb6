// End to end: the public client against the public emulator, over real HTTP on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DwollaApiError, DwollaTokenError, type DwollaClientOptions } from '../../src/index.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { testClient, type TestKnobs } from '../helpers/test-client.js';

const KEY = 'e2e key+%:';
const SECRET = 'e2e sécret/=';
const noSleep = async () => {};
let emu: Emulator;

afterEach(() => emu?.close());

async function setUp(options: Partial<DwollaClientOptions> & TestKnobs = {}, now?: () => number) {
  emu = await startEmulator({ spec: fixtureSpec(), key: KEY, secret: SECRET, now });
  const dwolla = testClient({
    key: KEY,
    secret: SECRET,
    baseUrl: emu.url,
    sleep: noSleep,
    ...options,
  });
  return dwolla;
}

describe('the client on the emulator', () => {
  it('creates a customer, follows its Location, and reuses one token throughout', async () => {
    const dwolla = await setUp();
    const created = await dwolla.post('/customers', {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@example.com',
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toBeUndefined();
    const location = created.response.headers.get('Location')!;
    expect(location).toMatch(new RegExp(`^${emu.url}/customers/[0-9a-f-]{36}$`));
    const customer = await dwolla.get({ href: location });
    expect(customer.data).toMatchObject({ id: location.split('/').pop(), firstName: 'Jane' });
    await dwolla.get('/customers', { query: { limit: 10 } });
    expect(emu.stats()).toMatchObject({
      tokenRequests: 1,
      calls: { createCustomer: 1, getCustomer: 1, listCustomers: 1 },
    });
  });

  it("turns Dwolla's ValidationError into a DwollaApiError with its JSON pointers", async () => {
    const dwolla = await setUp();
    const error = await dwolla
      .post('/customers', { firstName: '', lastName: 'Doe', email: 'jane@example.com' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'ValidationError',
      details: [{ code: 'Invalid', path: '/firstName' }],
    });
  });

  it('recovers from a revocation mid-run with one more token request and no failed call', async () => {
    const dwolla = await setUp();
    for (let i = 0; i < 5; i++) await dwolla.get('/customers');
    emu.revokeTokens();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => dwolla.get('/customers')),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(emu.stats().tokenRequests).toBe(2);
  });

  it('refreshes a short-lived token before the emulator would call it expired', async () => {
    let now = 0;
    const clock = () => now;
    const dwolla = await setUp({ clock }, () => 1_000_000 + now);
    emu.setTokenLifetime(2);
    await dwolla.get('/customers');
    now += 900; // still within the reused first second
    await dwolla.get('/customers');
    now += 300; // past lifetime / 2: refreshed, never sent expired
    await dwolla.get('/customers');
    expect(emu.stats().tokenRequests).toBe(2);
    expect(emu.requests().map((r) => r.response?.status)).not.toContain(401);
  });

  it('retries token-endpoint 503s and honours a 429 Retry-After', async () => {
    const waits: number[] = [];
    const dwolla = await setUp({ sleep: async (ms) => void waits.push(ms), random: () => 0 });
    emu.fault({ path: '/token', status: 503 });
    emu.fault({ path: '/token', status: 429, headers: { 'Retry-After': '1' } });
    await expect(dwolla.get('/customers')).resolves.toMatchObject({ response: { status: 200 } });
    expect(emu.stats().tokenRequests).toBe(3);
    expect(waits).toEqual([0, 1000]);
  });

  it('fails a hanging token endpoint within tokenTimeoutMs, then works on the next call', async () => {
    const dwolla = await setUp({ tokenTimeoutMs: 200 });
    emu.fault({ path: '/token', hang: true });
    const error = await dwolla.get('/customers').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaTokenError);
    await expect(dwolla.get('/customers')).resolves.toMatchObject({ response: { status: 200 } });
    expect(emu.stats().calls.listCustomers).toBe(1);
  });

  it('does not retry a wrong secret, and says invalid_client without the secret', async () => {
    emu = await startEmulator({ spec: fixtureSpec(), key: KEY, secret: SECRET });
    const dwolla = testClient({ key: KEY, secret: 'wrong secret', baseUrl: emu.url });
    const error = await dwolla.get('/customers').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DwollaTokenError', status: 401, code: 'invalid_client' });
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(
      'wrong secret',
    );
    expect(emu.stats().tokenRequests).toBe(1);
  });
});
