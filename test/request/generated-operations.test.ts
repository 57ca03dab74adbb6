// The same scenarios through generated operations: a small fixture spec (with a POST) is generated
// into a temporary folder, and its operations run with `{ client: dwolla.client }`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DwollaApiError,
  DwollaError,
  DwollaIdempotencyError,
  DwollaTimeoutError,
  DwollaTokenError,
  createDwollaClient,
} from '../../src/index.js';
import { useFixtureOperations } from '../helpers/fixture-operations.js';
import {
  sendJson,
  startRecordingServer,
  type RecordingServer,
} from '../helpers/recording-server.js';
import { KEY } from '../auth/fake-dwolla.js';
import {
  hang,
  ok,
  reset,
  startScriptedDwolla,
  status,
  type ScriptedDwolla,
} from './scripted-dwolla.js';

interface Operations {
  createCustomer(
    options: unknown,
  ): Promise<{ data: unknown; request: Request; response: Response }>;
  getCustomer(options: unknown): Promise<{ data: unknown; response: Response }>;
  listCustomers(options: unknown): Promise<{ data: unknown; response: Response }>;
  initiateTransfer(options: unknown): Promise<{ data: unknown; response: Response }>;
}

const fixture = useFixtureOperations<Operations>('dwolla-request-ops-');
let fake: ScriptedDwolla;
let foreign: RecordingServer;

beforeAll(async () => {
  fake = await startScriptedDwolla();
  foreign = await startRecordingServer((_r, res) => res.writeHead(200).end('{}'));
});
afterAll(async () => {
  await fake?.close();
  await foreign?.close();
});
beforeEach(() => {
  fake.server.requests.length = 0;
  fake.issued.length = 0;
});

const customer = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' };
const created = (res: import('node:http').ServerResponse) =>
  res.writeHead(201, { Location: `${fake.origin}/customers/c-1`, 'X-Request-Id': 'req-201' }).end();
const apiRequests = () => fake.apiRequests();
const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('generated operations through dwolla.fetch', () => {
  it('429 twice, then 201: three attempts with one key; resolves { data, request, response }', async () => {
    fake.script((n, _r, res) => (n < 2 ? status(res, 429) : created(res)));
    const dwolla = fake.client();
    const result = await fixture.ops.createCustomer({ client: dwolla.client, body: customer });
    expect(result.response.status).toBe(201);
    expect(result.response.headers.get('Location')).toBe(`${fake.origin}/customers/c-1`);
    expect(result.data).toBeUndefined(); // no Content-Type, no body: as dwolla.post
    expect(result.request).toBeInstanceOf(Request);
    expect(apiRequests()).toHaveLength(3);
    expect(new Set(apiRequests().map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('a POST processed, then its socket destroyed: 2 attempts, the same key and body', async () => {
    fake.script((n, _r, res) => (n === 0 ? reset(res) : created(res)));
    await fixture.ops.createCustomer({ client: fake.client().client, body: customer });
    const [a, b] = apiRequests();
    expect(apiRequests()).toHaveLength(2);
    expect(b!.headers['idempotency-key']).toBe(a!.headers['idempotency-key']);
    expect(b!.body).toBe(a!.body);
  });

  it("two calls carry two keys; a caller's key (a header parameter) is kept on all attempts", async () => {
    fake.script((n, _r, res) => (n === 2 ? status(res, 503) : created(res)));
    const { client } = fake.client();
    await fixture.ops.createCustomer({ client, body: customer });
    await fixture.ops.createCustomer({ client, body: customer });
    await fixture.ops.initiateTransfer({
      client,
      headers: { 'Idempotency-Key': 'transfer-key-1' },
      body: { amount: { value: '1.00' } },
    });
    const keys = apiRequests().map((r) => r.headers['idempotency-key']);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.slice(2)).toEqual(['transfer-key-1', 'transfer-key-1']);
  });

  it('404 with X-Request-Id: one attempt, a DwollaApiError with a stack and requestId', async () => {
    fake.script((_n, _r, res) =>
      sendJson(res, 404, { code: 'NotFound', message: 'Not found.' }, { 'X-Request-Id': 'req-9' }),
    );
    const error = await caught(
      fixture.ops.getCustomer({ client: fake.client().client, path: { id: 'x' } }),
    );
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).toMatchObject({ status: 404, code: 'NotFound', requestId: 'req-9' });
    expect((error as Error).stack).toMatch(
      /^DwollaApiError: Dwolla API GET \/customers\/x: HTTP 404/,
    );
    expect(apiRequests()).toHaveLength(1);
  });

  it('400 and 409 are not retried; details[0].path is set; 409 says the key is locked', async () => {
    fake.script((n, _r, res) =>
      n === 0
        ? sendJson(res, 400, {
            code: 'ValidationError',
            message: 'Validation error(s) present.',
            _embedded: { errors: [{ code: 'Invalid', message: 'Bad email.', path: '/email' }] },
          })
        : sendJson(res, 409, { code: 'Conflict', message: 'Request in progress.' }),
    );
    const { client } = fake.client();
    const invalid = await caught(fixture.ops.createCustomer({ client, body: customer }));
    expect(invalid).toBeInstanceOf(DwollaApiError);
    expect((invalid as DwollaApiError).details[0]!.path).toBe('/email');
    expect((invalid as Error).message).toContain('ValidationError: /email: Bad email.');
    const conflict = await caught(fixture.ops.createCustomer({ client, body: customer }));
    expect(conflict).toBeInstanceOf(DwollaIdempotencyError);
    expect((conflict as Error).message).toMatch(/Idempotency-Key is locked.*24 h/);
    expect(apiRequests()).toHaveLength(2);
  });

  it('429 always: rejects after 3 attempts with status 429; maxRetries: 0 makes one', async () => {
    fake.script((_n, _r, res) => status(res, 429));
    const error = await caught(fixture.ops.listCustomers({ client: fake.client().client }));
    expect(error).toMatchObject({ name: 'DwollaApiError', status: 429 });
    expect(apiRequests()).toHaveLength(3);
    await caught(fixture.ops.listCustomers({ client: fake.client({ maxRetries: 0 }).client }));
    expect(apiRequests()).toHaveLength(4);
  });

  it('a hang fails with a DwollaTimeoutError within the attempt bound', async () => {
    fake.script((_n, _r, res) => hang(res));
    const { client } = fake.client({ attemptTimeoutMs: 300, maxRetries: 1 });
    const started = performance.now();
    const error = await caught(fixture.ops.listCustomers({ client }));
    expect(error).toBeInstanceOf(DwollaTimeoutError);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(apiRequests()).toHaveLength(2);
  });

  it('a 302 to a foreign origin is surfaced, not followed', async () => {
    fake.script((_n, _r, res) => res.writeHead(302, { Location: foreign.url('/x') }).end());
    const error = await caught(
      fixture.ops.createCustomer({ client: fake.client().client, body: customer }),
    );
    expect(error).toMatchObject({ name: 'DwollaApiError', status: 302 });
    expect(foreign.requests).toEqual([]);
  });

  it('a wrong secret is a thrown DwollaTokenError, and a 2xx resolves data', async () => {
    fake.script((_n, _r, res) => ok(res, { total: 0, _embedded: { customers: [] } }));
    const bad = createDwollaClient({ key: KEY, secret: 'wrong-secret-123', baseUrl: fake.origin });
    const error = await caught(fixture.ops.listCustomers({ client: bad.client }));
    expect(error).toBeInstanceOf(DwollaTokenError);
    expect(error).toBeInstanceOf(DwollaError);
    const { data } = await fixture.ops.listCustomers({
      client: fake.client().client,
      query: { limit: 5 },
    });
    expect(data).toEqual({ total: 0, _embedded: { customers: [] } });
    expect(apiRequests().at(-1)!.path).toBe('/customers?limit=5');
  });
});
