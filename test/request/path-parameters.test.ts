// No path parameter value, and no target, can change a path's segments: `.` and `..` (also
// percent-encoded, which URL parsing treats as dots) are refused before anything is sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DwollaRequestRefusedError, createDwollaClient } from '../../src/index.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { useFixtureOperations } from '../helpers/fixture-operations.js';

interface Operations {
  getCustomer(options: unknown): Promise<{ data: unknown; response: Response }>;
  createCustomerDocument(options: unknown): Promise<{ data: unknown; response: Response }>;
}

const fixture = useFixtureOperations<Operations>('dwolla-path-params-');
let fake: FakeDwolla;

beforeAll(async () => {
  fake = await startFakeDwolla();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.server.requests.length = 0;
});

const client = () => createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
const caught = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: unknown) => e,
  );

const DOT_VALUES = ['..', '.', '%2e', '%2E%2e', '.%2e', '%2e.', '.\t.'];

describe('generated operations', () => {
  it.each(DOT_VALUES)(
    'getCustomer with id %j is a TypeError naming the parameter; nothing is sent',
    async (id) => {
      const error = await caught(
        fixture.ops.getCustomer({ client: client().client, path: { id } }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/path parameter "id"/);
      expect(fake.server.requests).toHaveLength(0);
    },
  );

  it('a POST under a parameter cannot climb to its parent: nothing is created', async () => {
    const dwolla = client();
    const form = new FormData();
    form.set('documentType', 'passport');
    const error = await caught(
      fixture.ops.createCustomerDocument({ client: dwolla.client, path: { id: '..' }, body: form }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /POST \/customers\/\{id\}\/documents: path parameter "id"/,
    );
    expect(fake.server.requests).toHaveLength(0);
  });

  it.each(['c-1', '...', 'a.b', '.hidden', '%2e%2e%2e', 'a/../b'])(
    'an id like %j stays one segment of the path it was given',
    async (id) => {
      await fixture.ops.getCustomer({ client: client().client, path: { id } });
      const [request] = fake.apiRequests();
      expect(request!.path).toBe(`/customers/${encodeURIComponent(id)}`);
    },
  );

  it('the raw client with a path template is checked the same way', async () => {
    const error = await caught(
      client().client.get({ url: '/customers/{id}/funding-sources', path: { id: '%2e%2E' } }),
    );
    expect(error).toBeInstanceOf(TypeError);
    // A label-style parameter ({.id}) adds its own dot: an empty value would make the segment ".".
    const label = await caught(client().client.get({ url: '/customers/{.id}', path: { id: '' } }));
    expect(label).toBeInstanceOf(TypeError);
    expect((label as Error).message).toMatch(/path parameter "id" makes the segment "\."/);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('checks each item of an array or object value, and names every parameter of the segment', async () => {
    const raw = client().client;
    const refused = [
      await caught(raw.get({ url: '/customers/{ids}', path: { ids: ['c-1', '..'] } })),
      await caught(raw.get({ url: '/customers/{filter}', path: { filter: { status: '.' } } })),
    ];
    for (const error of refused) expect(error).toBeInstanceOf(TypeError);
    // Two label-style parameters, each empty, make ".." together.
    const both = await caught(raw.get({ url: '/customers/{.a}{.b}', path: { a: '', b: '' } }));
    expect((both as Error).message).toMatch(/path parameter "a", "b" makes the segment "\.\."/);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('names the method and the template as the raw client was given them', async () => {
    // No method given: the generated client sends a GET; a template without its leading slash.
    const error = await caught(
      client().client.request({ url: 'customers/{id}', path: { id: '..' } } as never),
    );
    expect((error as Error).message).toMatch(/^GET \/customers\/\{id\}: path parameter "id"/);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('array items with dots inside, and a Date, are ordinary values', async () => {
    const raw = client().client;
    await raw.get({ url: '/customers/{ids}', path: { ids: ['c-1', 'a.b'] } });
    await raw.get({ url: '/customers/{since}', path: { since: new Date(0) } });
    expect(fake.apiRequests().map((r) => decodeURIComponent(r.path))).toEqual([
      '/customers/c-1,a.b',
      '/customers/1970-01-01T00:00:00.000Z',
    ]);
  });
});

describe('get / post / delete targets', () => {
  it.each([
    ['/customers/../funding-sources'],
    ['/customers/..'],
    ['/customers/./c-1'],
    ['/customers/%2e%2e/funding-sources'],
    ['/customers/.%2E?x=1'],
    ['/customers/.\t./funding-sources'],
    ['/customers\\..\\funding-sources'],
    ['ABSOLUTE/customers/../funding-sources'],
    ['LINK/customers/%2e/x'],
  ])('%s is refused before anything is sent', async (raw) => {
    const dwolla = client();
    const target = raw.startsWith('ABSOLUTE')
      ? fake.origin + raw.slice('ABSOLUTE'.length)
      : raw.startsWith('LINK')
        ? { href: fake.origin + raw.slice('LINK'.length) }
        : raw;
    for (const call of [
      dwolla.get(target),
      dwolla.post(target, { name: 'bank' }),
      dwolla.delete(target),
    ]) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(DwollaRequestRefusedError);
      expect((error as Error).message).toMatch(/"\." or "\.\." segment/);
    }
    expect(fake.server.requests).toHaveLength(0);
  });

  it('dots inside a segment, or in the query, are ordinary characters', async () => {
    const dwolla = client();
    await dwolla.get('/customers/a.b/...', { query: { search: '..' } });
    await dwolla.get('/customers?x=/../');
    expect(fake.apiRequests().map((r) => r.path)).toEqual([
      '/customers/a.b/...?search=..',
      '/customers?x=/../',
    ]);
  });
});
