// dwolla.client as generated operations and hey-api's client options use it: it runs on the
// pipeline with plain values, and keeps hey-api client-fetch's behaviour (interceptors, parseAs,
// responseStyle, throwOnError, transformers, serializers) or refuses what it cannot do, unsent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DwollaApiError, DwollaRequestRefusedError } from '../../src/index.js';
import { useFixtureOperations } from '../helpers/fixture-operations.js';
import { sendJson } from '../helpers/recording-server.js';
import { ok, startScriptedDwolla, status, type ScriptedDwolla } from './scripted-dwolla.js';

type Result = { data: unknown; request: Request; response: Response };
interface Operations {
  createCustomerDocument(options: unknown): Promise<Result>;
  getCustomer(options: unknown): Promise<Result>;
  listCustomers(options: unknown): Promise<Result>;
}

const fixture = useFixtureOperations<Operations>('dwolla-operation-client-');
let fake: ScriptedDwolla;

beforeAll(async () => {
  fake = await startScriptedDwolla();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.server.requests.length = 0;
  fake.script((_n, _r, res) => ok(res, { id: 'c-1' }));
});

describe('dwolla.client', () => {
  it('uploads a multipart document with an idempotency key; the 201 Location is checked', async () => {
    fake.script((_n, _r, res) =>
      res.writeHead(201, { Location: `${fake.origin}/documents/d-1` }).end(),
    );
    const dwolla = fake.client();
    const file = new Blob(['%PDF-1.4 fake'], { type: 'application/pdf' });
    const result = await fixture.ops.createCustomerDocument({
      client: dwolla.client,
      path: { id: 'c-1' },
      body: { documentType: 'passport', file },
    });
    expect(result.response.status).toBe(201);
    expect(result.data).toBeUndefined();
    expect(dwolla.locationOf(result)).toBe(`${fake.origin}/documents/d-1`);
    const [sent] = fake.apiRequests();
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe('/customers/c-1/documents');
    expect(sent!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const parsed = await new Response(new Uint8Array(sent!.bytes), {
      headers: { 'content-type': sent!.headers['content-type']! },
    }).formData();
    expect(parsed.get('documentType')).toBe('passport');
    expect(await (parsed.get('file') as File).text()).toBe('%PDF-1.4 fake');
  });

  it('serializes query parameters as hey-api does (arrays exploded, a custom serializer kept)', async () => {
    const dwolla = fake.client();
    await dwolla.client.get({ url: '/customers', query: { status: ['a', 'b'], limit: 5 } });
    await dwolla.client.get({
      url: '/customers',
      query: { status: ['a', 'b'] },
      querySerializer: { array: { explode: false, style: 'form' } },
    });
    expect(fake.apiRequests().map((r) => r.path)).toEqual([
      '/customers?status=a&status=b&limit=5',
      '/customers?status=a,b',
    ]);
  });

  it('resolves { data, request, response }: the Request is what was given, without credentials', async () => {
    const dwolla = fake.client();
    const result = await fixture.ops.getCustomer({ client: dwolla.client, path: { id: 'c-1' } });
    expect(result.data).toEqual({ id: 'c-1' });
    expect(result.request).toBeInstanceOf(Request);
    expect(result.request.url).toBe(`${fake.origin}/customers/c-1`);
    expect(result.request.headers.get('authorization')).toBeNull();
    expect(result.response).toBeInstanceOf(Response);
    expect(result.response.url).toBe(`${fake.origin}/customers/c-1`);
    expect(Object.keys(result)).toEqual(['data', 'request', 'response']);
  });

  it('parseAs text, arrayBuffer, blob and stream give what client-fetch gives', async () => {
    const dwolla = fake.client();
    const get = (parseAs: string) =>
      dwolla.client.get({ url: '/customers/c-1', parseAs } as never) as Promise<Result>;
    const body = JSON.stringify({ id: 'c-1' });
    expect((await get('text')).data).toBe(body);
    const buffer = (await get('arrayBuffer')).data as ArrayBuffer;
    expect(new TextDecoder().decode(buffer)).toBe(body);
    const blob = (await get('blob')).data as Blob;
    expect(await blob.text()).toBe(body);
    expect(blob.type).toMatch(/^application\/json/);
    const stream = (await get('stream')).data as ReadableStream;
    expect(await new Response(stream).text()).toBe(body);
  });

  it('responseStyle data, responseValidator and responseTransformer run on JSON', async () => {
    const dwolla = fake.client();
    const seen: unknown[] = [];
    const data = await dwolla.client.get({
      url: '/customers/c-1',
      responseStyle: 'data',
      responseValidator: async (value) => void seen.push(value),
      responseTransformer: async (value) => ({ ...(value as object), transformed: true }),
    });
    expect(seen).toEqual([{ id: 'c-1' }]);
    expect(data).toEqual({ id: 'c-1', transformed: true });
  });

  it('throwOnError: false resolves { error } with the DwollaError; an error interceptor sees it', async () => {
    fake.script((_n, _r, res) => status(res, 404));
    const dwolla = fake.client();
    const seen: unknown[] = [];
    dwolla.client.interceptors.error.use((error, response, request) => {
      seen.push(error, response, request.url);
      return error;
    });
    const result = (await dwolla.client.get({ url: '/customers/x', throwOnError: false })) as {
      error: unknown;
      response: unknown;
    };
    expect(result.error).toBeInstanceOf(DwollaApiError);
    expect((result.error as DwollaApiError).status).toBe(404);
    expect(result.response).toBeUndefined();
    expect(seen).toEqual([result.error, undefined, `${fake.origin}/customers/x`]);
    // With the default throwOnError: true the operation rejects with what the interceptor gave.
    dwolla.client.interceptors.error.use(() => new Error('wrapped'));
    const error = await fixture.ops
      .getCustomer({ client: dwolla.client, path: { id: 'x' } })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('wrapped');
  });

  it("a request interceptor's Request is what is sent, through the pipeline", async () => {
    const dwolla = fake.client();
    const id = dwolla.client.interceptors.request.use((request) => {
      request.headers.set('X-Trace', 'trace-1');
      return request;
    });
    const result = await fixture.ops.getCustomer({ client: dwolla.client, path: { id: 'c-1' } });
    expect(result.data).toEqual({ id: 'c-1' });
    const [sent] = fake.apiRequests();
    expect(sent!.headers['x-trace']).toBe('trace-1');
    expect(sent!.headers.authorization).toMatch(/^Bearer /);
    expect(result.request.headers.get('x-trace')).toBe('trace-1');
    dwolla.client.interceptors.request.eject(id);
    await fixture.ops.getCustomer({ client: dwolla.client, path: { id: 'c-1' } });
    expect(fake.apiRequests()[1]!.headers['x-trace']).toBeUndefined();
  });

  it("a response interceptor's Response is the result's, and its body the data", async () => {
    const dwolla = fake.client();
    let returned: Response | undefined;
    dwolla.client.interceptors.response.use(async (response) => {
      const body = (await response.json()) as object;
      return (returned = Response.json({ ...body, seen: response.status }));
    });
    const result = await fixture.ops.getCustomer({ client: dwolla.client, path: { id: 'c-1' } });
    expect(result.data).toEqual({ id: 'c-1', seen: 200 });
    expect(result.response).toBe(returned);
  });

  it('a response interceptor that answers non-2xx rejects as client-fetch does', async () => {
    const dwolla = fake.client();
    dwolla.client.interceptors.response.use(() => Response.json({ code: 'Nope' }, { status: 500 }));
    expect(await dwolla.client.get({ url: '/customers/c-1' }).catch((e: unknown) => e)).toEqual({
      code: 'Nope',
    });
  });

  it('another fetch and server-sent events are refused, unsent', async () => {
    const dwolla = fake.client();
    const error = await dwolla.client
      .get({ url: '/customers', fetch: globalThis.fetch })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/takes no other `fetch`/);
    dwolla.client.setConfig({ fetch: globalThis.fetch });
    expect(await dwolla.client.get({ url: '/customers' }).catch((e: unknown) => e)).toBeInstanceOf(
      TypeError,
    );
    expect(
      await dwolla.client.sse.get({ url: '/customers' }).catch((e: unknown) => e),
    ).toBeInstanceOf(TypeError);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('a body GET cannot carry is refused unsent, as DwollaRequestRefusedError', async () => {
    const dwolla = fake.client();
    const error = await dwolla.client
      .get({ url: '/customers', body: { a: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaRequestRefusedError);
    // An error interceptor gets no Request for a request that could not be made.
    const seen: unknown[] = [];
    dwolla.client.interceptors.error.use((e, _response, request) => {
      seen.push(e, request);
      return e;
    });
    const result = (await dwolla.client.get({
      url: '/customers',
      body: { a: 1 },
      throwOnError: false,
    })) as { error: unknown; request: unknown };
    expect(result.error).toBeInstanceOf(DwollaRequestRefusedError);
    expect(result.request).toBeUndefined();
    expect(seen).toEqual([result.error, undefined]);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('keeps buildUrl, getConfig and setConfig (baseUrl, headers)', async () => {
    const dwolla = fake.client();
    expect(dwolla.client.buildUrl({ url: '/customers/{id}', path: { id: 'c 1' } })).toBe(
      `${fake.origin}/customers/c%201`,
    );
    expect(dwolla.client.getConfig().baseUrl).toBe(fake.origin);
    dwolla.client.setConfig({ headers: { 'X-Team': 'payments' } });
    fake.script((_n, _r, res) => sendJson(res, 200, { ok: true }));
    await dwolla.client.get({ url: '/customers' });
    expect(fake.apiRequests()[0]!.headers['x-team']).toBe('payments');
  });
});
