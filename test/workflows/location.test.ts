// `post` results carry `location`: the Location header as an absolute URL on the API origin,
// checked like every link; `dwolla.locationOf` gives the same for generated-client results. A 2xx
// is never turned into an error: what cannot be trusted or read is left undefined, with a warning.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DwollaClient } from '../../src/index.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
let dwolla: DwollaClient;
let location: string | undefined;
let warnings: string[];

beforeEach(async () => {
  fake = await startFakeDwolla();
  location = undefined;
  fake.api = (_request, res) => {
    res.writeHead(201, location === undefined ? {} : { Location: location });
    res.end();
  };
  warnings = [];
  dwolla = testClient({
    key: KEY,
    secret: SECRET,
    baseUrl: fake.origin,
    sleep: noSleep,
    onWarning: (message) => warnings.push(message),
  });
});
afterEach(() => fake.close());

describe('post → location', () => {
  it('is the absolute Location of a 201 on the API origin', async () => {
    location = `${fake.origin}/customers/c-1`;
    const created = await dwolla.post('/customers', { firstName: 'Jane' });
    expect(created.response.status).toBe(201);
    expect(created.data).toBeUndefined();
    expect(created.location).toBe(`${fake.origin}/customers/c-1`);
  });

  it('resolves a relative Location against the request URL', async () => {
    location = '/customers/c-2';
    expect((await dwolla.post('/customers', {})).location).toBe(`${fake.origin}/customers/c-2`);
  });

  it('is undefined without a Location header', async () => {
    const created = await dwolla.post('/customers', {});
    expect(created.location).toBeUndefined();
    expect('location' in created).toBe(true);
  });

  it.each([
    ['another origin', 'https://api.dwolla.com.evil.example/customers/c-3'],
    ['another port on loopback', 'http://127.0.0.1:1/customers/c-3'],
    ['credentials in the URL', 'USERINFO'],
    ['plain http off loopback', 'http://api.dwolla.com/customers/c-3'],
    ['an unparseable URL', 'http://[::1'],
  ])(
    'a Location with %s: the 201 still resolves, location undefined, one warning',
    async (_case, header) => {
      location =
        header === 'USERINFO' ? fake.origin.replace('//', '//user:pw@') + '/customers/c' : header;
      const created = await dwolla.post('/customers', {});
      expect(created.response.status).toBe(201);
      expect(created.location).toBeUndefined();
      expect('location' in created).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^dwolla-openapi-client: Dwolla API POST \/customers: HTTP 201, but its Location points to .*, not http:\/\/127\.0\.0\.1:\d+: location left undefined\. The request was processed/,
      );
      expect(warnings[0]).not.toContain('user:pw');
    },
  );

  it('a 2xx whose body is not JSON still resolves (data undefined), with one warning', async () => {
    fake.api = (_request, res) => {
      res.writeHead(201, {
        'Content-Type': 'text/plain',
        Location: `${fake.origin}/transfers/t-1`,
      });
      res.end('Created');
    };
    const created = await dwolla.post('/transfers', { amount: 1 });
    expect(created.response.status).toBe(201);
    expect(created.data).toBeUndefined();
    expect(created.location).toBe(`${fake.origin}/transfers/t-1`);
    expect(warnings).toEqual([
      'dwolla-openapi-client: Dwolla API POST /transfers: HTTP 201 with a body that is not JSON (text/plain, 7 bytes): data left undefined',
    ]);
  });
});

describe('dwolla.locationOf (generated operations)', () => {
  it("gives a generated-client result's Location, checked the same way", async () => {
    location = `${fake.origin}/customers/c-4`;
    const result = await dwolla.client.post({ url: '/customers', body: { firstName: 'Jane' } });
    expect(result.response.status).toBe(201);
    expect(dwolla.locationOf(result)).toBe(`${fake.origin}/customers/c-4`);
    expect(dwolla.locationOf(result.response)).toBe(`${fake.origin}/customers/c-4`);

    location = 'https://evil.example/customers/c-5';
    const foreign = await dwolla.client.post({ url: '/customers', body: {} });
    expect(dwolla.locationOf(foreign)).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /Location points to https:\/\/evil\.example, not .*: location left undefined/,
      ),
    ]);

    location = undefined;
    expect(dwolla.locationOf(await dwolla.client.post({ url: '/customers', body: {} }))).toBe(
      undefined,
    );
    expect(() => dwolla.locationOf({} as { response: Response })).toThrow(TypeError);
  });

  it('resolves a relative Location of a Response without a URL against the base URL', () => {
    const response = new Response(null, { status: 201, headers: { Location: '/transfers/t-1' } });
    expect(dwolla.locationOf(response)).toBe(`${fake.origin}/transfers/t-1`);
  });
});
