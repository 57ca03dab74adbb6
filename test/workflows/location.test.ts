// `post` results carry `location`: the Location header as an absolute URL on the API origin,
// checked like every link; `dwolla.locationOf` gives the same for generated-client results.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDwollaClient,
  DwollaRequestRefusedError,
  type DwollaClient,
} from '../../src/index.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';

let fake: FakeDwolla;
let dwolla: DwollaClient;
let location: string | undefined;

beforeEach(async () => {
  fake = await startFakeDwolla();
  location = undefined;
  fake.api = (_request, res) => {
    res.writeHead(201, location === undefined ? {} : { Location: location });
    res.end();
  };
  dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });
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
  ])('refuses a Location with %s, saying the request was processed', async (_case, header) => {
    location =
      header === 'USERINFO' ? fake.origin.replace('//', '//user:pw@') + '/customers/c' : header;
    const error = await dwolla.post('/customers', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaRequestRefusedError);
    expect(error).toMatchObject({ status: 201 });
    expect((error as DwollaRequestRefusedError).response?.status).toBe(201);
    expect((error as Error).message).toMatch(/Location points to .*: refused it/);
    expect((error as Error).message).toMatch(/The request was processed/);
    expect((error as Error).message).not.toContain('user:pw');
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
    expect(() => dwolla.locationOf(foreign)).toThrow(DwollaRequestRefusedError);

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
