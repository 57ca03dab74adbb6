// Behaviour 1 (token request on the wire) and 10 (Accept + User-Agent on every API call).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PACKAGE_NAME,
  PACKAGE_VERSION,
  createApplicationAccessToken,
  createDwollaClient,
} from '../../src/index.js';
import { startRecordingServer } from '../helpers/recording-server.js';
import { KEY, SECRET, decodeBasic, startFakeDwolla, type FakeDwolla } from './fake-dwolla.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
const USER_AGENT = `${pkg.name}/${pkg.version}`;

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(() => fake.close());

const wireShape = (r: {
  method: string;
  path: string;
  headers: Record<string, unknown>;
  body: string;
}) => ({
  method: r.method,
  path: r.path,
  authorization: r.headers.authorization,
  contentType: r.headers['content-type'],
  accept: r.headers.accept,
  userAgent: r.headers['user-agent'],
  body: r.body,
});

describe('token request (behaviour 1)', () => {
  it('POSTs client_secret_basic credentials and exactly grant_type=client_credentials', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    await expect(dwolla.getAccessToken()).resolves.toBe('tok-1');

    expect(fake.server.requests).toHaveLength(1);
    const [request] = fake.server.requests;
    expect(wireShape(request!)).toEqual({
      method: 'POST',
      path: '/token',
      authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      accept: 'application/json',
      userAgent: USER_AGENT,
      body: 'grant_type=client_credentials',
    });
    expect(request!.path).not.toContain(SECRET);
    expect(request!.body).not.toContain(SECRET);
    expect(request!.body).not.toContain(KEY);
  });

  it('form-encodes the key and secret before Basic encoding (RFC 6749 §2.3.1)', async () => {
    const key = 'k:ey +%é';
    const secret = 'sé:cr+et %41☃';
    await fake.close();
    fake = await startFakeDwolla({ key, secret });
    const dwolla = createDwollaClient({ key, secret, baseUrl: fake.origin });
    await dwolla.getAccessToken();
    const header = fake.server.requests[0]!.headers.authorization!;
    expect(Buffer.from(header.slice(6), 'base64').toString('latin1')).toBe(
      'k%3Aey+%2B%25%C3%A9:s%C3%A9%3Acr%2Bet+%2541%E2%98%83',
    );
    expect(decodeBasic(header)).toEqual({ key, secret });
  });

  it('the generated createApplicationAccessToken sends the very same request', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    await dwolla.getAccessToken();
    const result = await createApplicationAccessToken({
      client: dwolla.client,
      body: { grant_type: 'client_credentials' },
    });
    expect(result.data).toEqual({ access_token: 'tok-2', token_type: 'bearer', expires_in: 3600 });

    const [internal, generated] = fake.server.requests;
    expect(fake.server.requests).toHaveLength(2);
    expect(wireShape(generated!)).toEqual(wireShape(internal!));
  });

  it('never sends the token request through the auth layer (no bearer, no token needed)', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    await createApplicationAccessToken({
      client: dwolla.client,
      body: { grant_type: 'client_credentials' },
    });
    // Only the generated request itself reached /token: nothing fetched a bearer for it.
    expect(fake.server.requests).toHaveLength(1);
    expect(fake.server.requests[0]!.headers.authorization).toMatch(/^Basic /);
  });

  it('sends the Basic credentials only to a custom tokenUrl, and the bearer only to the API', async () => {
    const api = await startRecordingServer((_r, res) => res.end('{}'));
    try {
      const dwolla = createDwollaClient({
        key: KEY,
        secret: SECRET,
        baseUrl: api.origin,
        tokenUrl: fake.server.url('/token'),
      });
      await dwolla.get('/customers');
      expect(fake.tokenRequests()).toHaveLength(1);
      expect(fake.server.requests).toHaveLength(1);
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]!.headers.authorization).toBe('Bearer tok-1');
    } finally {
      await api.close();
    }
  });
});

describe('headers on every API call (behaviour 10)', () => {
  it('sends Accept: application/vnd.dwolla.v1.hal+json and User-Agent name/version, overriding callers', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    await dwolla.get('/a', {
      headers: { Accept: 'text/html', 'User-Agent': 'mine', 'X-Extra': '1' },
    });
    await dwolla.post('/b', { x: 1 });
    await dwolla.delete('/c');
    await dwolla.client.get({ url: '/d' });
    const api = fake.apiRequests();
    expect(api.map((r) => r.path)).toEqual(['/a', '/b', '/c', '/d']);
    for (const request of api) {
      expect(request.headers.accept).toBe('application/vnd.dwolla.v1.hal+json');
      expect(request.headers['user-agent']).toBe(USER_AGENT);
      expect(request.headers.authorization).toBe('Bearer tok-1');
    }
    expect(api[0]!.headers['x-extra']).toBe('1');
  });

  it('exports the package name and version that package.json declares', () => {
    expect(PACKAGE_NAME).toBe(pkg.name);
    expect(PACKAGE_VERSION).toBe(pkg.version);
  });
});
