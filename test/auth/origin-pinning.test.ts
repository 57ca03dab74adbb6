// Behaviour 7: the bearer token only to the API origin, Basic credentials only to the token URL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DwollaError,
  DwollaRequestRefusedError,
  createDwollaClient,
  type DwollaTarget,
} from '../../src/index.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from './fake-dwolla.js';

let fake: FakeDwolla;
let evil: RecordingServer;
beforeEach(async () => {
  fake = await startFakeDwolla();
  evil = await startRecordingServer();
});
afterEach(async () => {
  await fake.close();
  await evil.close();
});

/** A transport that records what it was asked to send and answers nothing real. */
function spyFetch() {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    calls.push(input instanceof Request ? input.url : String(input));
    return new Response('{}', { status: 200 });
  };
  return { calls, fetch };
}

describe('origin pinning (behaviour 7)', () => {
  it('refuses targets on any other origin of the loopback test servers before sending anything', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    const port = new URL(fake.origin).port;
    const targets: DwollaTarget[] = [
      evil.url('/customers'),
      { href: evil.url('/customers') },
      new URL(evil.url('/x')),
      `http://localhost:${port}/customers`, // same port, other host
      `http://127.0.0.2:${port}/customers`,
      `https://127.0.0.1:${port}/customers`, // other scheme
      `//127.0.0.1:${new URL(evil.origin).port}/x`,
      `${fake.origin}@${evil.origin.slice('http://'.length)}/x`,
      `http://user:pass@127.0.0.1:${port}/x`,
    ];
    for (const target of targets) {
      const error = await dwolla.get(target).catch((e: unknown) => e);
      expect(error, String(target)).toBeInstanceOf(DwollaRequestRefusedError);
      expect(error).toBeInstanceOf(DwollaError);
      expect(error).toMatchObject({ status: undefined, code: undefined });
    }
    await expect(dwolla.post(evil.url('/x'), { a: 1 })).rejects.toBeInstanceOf(
      DwollaRequestRefusedError,
    );
    await expect(dwolla.delete(evil.url('/x'))).rejects.toBeInstanceOf(DwollaRequestRefusedError);
    expect(evil.requests).toHaveLength(0);
    expect(fake.server.requests).toHaveLength(0); // not even a token was fetched
  });

  it('refuses production look-alike shapes without calling the transport', async () => {
    const { calls, fetch } = spyFetch();
    const dwolla = createDwollaClient({
      key: KEY,
      secret: SECRET,
      environment: 'production',
      fetch,
    });
    const targets: DwollaTarget[] = [
      'https://api.dwolla.com@evil.example/',
      'https://api.dwolla.com.evil.example/',
      'https://api.dwolla.com:8443/',
      'http://api.dwolla.com/customers',
      'https://api-sandbox.dwolla.com/customers',
      'https://evil.example/?https://api.dwolla.com/',
      'https:api.dwolla.com.evil.example/x',
      { href: 'https://evil.example/next-page' },
      'javascript:alert(1)',
      'file:///etc/passwd',
      'customers', // neither a path nor an absolute URL
      'http://[::1',
      { href: 42 } as unknown as DwollaTarget,
      null as unknown as DwollaTarget,
    ];
    for (const target of targets) {
      await expect(dwolla.get(target), JSON.stringify(target)).rejects.toBeInstanceOf(
        DwollaRequestRefusedError,
      );
    }
    expect(calls).toEqual([]);
  });

  it('accepts a path, an absolute URL on the API origin and a HAL link', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    await dwolla.get('/customers/1');
    await dwolla.get(fake.server.url('/customers/2'));
    await dwolla.get({ href: fake.server.url('/customers/3?x=1') });
    await dwolla.get(new URL(fake.server.url('/customers/4')));
    await dwolla.get('/\\customers/5'); // backslash stays a path on the API origin
    expect(fake.apiRequests().map((r) => r.path)).toEqual([
      '/customers/1',
      '/customers/2',
      '/customers/3?x=1',
      '/customers/4',
      '//customers/5',
    ]);
    expect(fake.apiRequests().every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('the generated client refuses a foreign baseUrl override too', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    const error = await dwolla.client
      .get({ baseUrl: evil.origin, url: '/customers' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaRequestRefusedError);
    expect(evil.requests).toHaveLength(0);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('sends environment requests to the Dwolla hosts through the injected fetch', async () => {
    for (const [environment, origin] of [
      ['sandbox', 'https://api-sandbox.dwolla.com'],
      ['production', 'https://api.dwolla.com'],
    ] as const) {
      const calls: Array<{ url: string; authorization: string | null }> = [];
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const request = new Request(input, init);
        calls.push({ url: request.url, authorization: request.headers.get('authorization') });
        return request.url.endsWith('/token')
          ? Response.json({ access_token: 'T', token_type: 'bearer', expires_in: 3600 })
          : Response.json({ ok: true });
      };
      const dwolla = createDwollaClient({ key: KEY, secret: SECRET, environment, fetch });
      await expect(dwolla.get('/')).resolves.toMatchObject({ data: { ok: true } });
      expect(calls.map((c) => c.url)).toEqual([`${origin}/token`, `${origin}/`]);
      expect(calls[0]!.authorization).toMatch(/^Basic /);
      expect(calls[1]!.authorization).toBe('Bearer T');
    }
  });
});
