// get/post/delete results, Dwolla error bodies, and the configured generated client.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DwollaApiError,
  DwollaError,
  DwollaRequestRefusedError,
  createDwollaClient,
} from '../../src/index.js';
import { sendJson } from '../helpers/recording-server.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from './fake-dwolla.js';

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(() => fake.close());

const client = () => createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });

describe('get / post / delete', () => {
  it('get resolves parsed JSON and serializes the query', async () => {
    fake.api = (request, res) =>
      sendJson(res, 200, {
        _links: { next: { href: fake.server.url('/customers?page=2') } },
        path: request.path,
      });
    const dwolla = client();
    const { data, response } = await dwolla.get<{
      path: string;
      _links: { next: { href: string } };
    }>('/customers', {
      query: {
        limit: 2,
        status: ['verified', 'unverified'],
        skip: undefined,
        none: null,
        search: 'a b&c',
      },
    });
    expect(response.status).toBe(200);
    expect(data.path).toBe('/customers?limit=2&status=verified&status=unverified&search=a+b%26c');
    const next = await dwolla.get<{ path: string }>(data._links.next);
    expect(next.data.path).toBe('/customers?page=2');
  });

  it("post resolves data undefined for Dwolla's 201 with an empty body and a Location", async () => {
    fake.api = (_request, res) => {
      res.writeHead(201, { Location: fake.server.url('/customers/abc') });
      res.end();
    };
    const result = await client().post('/customers', { firstName: 'Ada' });
    expect(result.data).toBeUndefined();
    expect(result.response.status).toBe(201);
    expect(result.response.headers.get('location')).toBe(fake.server.url('/customers/abc'));
    const [request] = fake.apiRequests();
    expect(request).toMatchObject({ method: 'POST', body: '{"firstName":"Ada"}' });
    expect(request!.headers['content-type']).toBe('application/json');
  });

  it('post without a body sends no body; delete resolves undefined on 204', async () => {
    fake.api = (_request, res) => {
      res.writeHead(204);
      res.end();
    };
    const dwolla = client();
    await expect(dwolla.post('/beneficial-ownership')).resolves.toMatchObject({ data: undefined });
    await expect(dwolla.delete('/webhook-subscriptions/1')).resolves.toMatchObject({
      data: undefined,
    });
    expect(fake.apiRequests().map((r) => [r.method, r.body, r.headers['content-type']])).toEqual([
      ['POST', '', undefined],
      ['DELETE', '', undefined],
    ]);
  });

  it('post passes raw bodies through (string, URLSearchParams, FormData)', async () => {
    const dwolla = client();
    await dwolla.post('/a', 'plain text', { headers: { 'Content-Type': 'text/plain' } });
    await dwolla.post('/b', new URLSearchParams({ a: '1 2' }));
    const form = new FormData();
    form.append('documentType', 'passport');
    await dwolla.post('/c', form);
    const [a, b, c] = fake.apiRequests();
    expect([a!.body, a!.headers['content-type']]).toEqual(['plain text', 'text/plain']);
    expect(b!.body).toBe('a=1+2');
    expect(b!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(c!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(c!.body).toContain('name="documentType"');
  });

  it('rejects a non-2xx with DwollaApiError carrying code, message and _embedded errors', async () => {
    const body = {
      code: 'ValidationError',
      message: 'Validation error(s) present. See embedded errors list for more details.',
      _embedded: {
        errors: [
          { code: 'Required', message: 'FirstName required.', path: '/firstName', _links: {} },
          'not an object',
          { message: 'Only a message.', code: 5 },
        ],
      },
    };
    fake.api = (_request, res) => sendJson(res, 400, body);
    const error = await client()
      .post('/customers', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).toBeInstanceOf(DwollaError);
    const apiError = error as DwollaApiError;
    expect(apiError).toMatchObject({ status: 400, code: 'ValidationError' });
    expect(apiError.details).toEqual([
      { code: 'Required', message: 'FirstName required.', path: '/firstName' },
      { message: 'Only a message.' },
    ]);
    // The first embedded error says what to fix; the count says there is more.
    expect(apiError.message).toBe(
      'Dwolla API POST /customers: HTTP 400 ValidationError: /firstName: FirstName required. (+1 more)',
    );
    expect(apiError.body).toEqual(body);
    expect(apiError.response?.status).toBe(400);
    expect(Object.keys(apiError)).not.toContain('response');
  });

  it('rejects a non-JSON error page with DwollaApiError; a non-JSON 2xx resolves', async () => {
    fake.api = (request, res) => {
      res.writeHead(request.path === '/html-error' ? 502 : 200, { 'Content-Type': 'text/html' });
      res.end('<html>gateway</html>');
    };
    const dwolla = client();
    await expect(dwolla.get('/html-error')).rejects.toMatchObject({
      name: 'DwollaApiError',
      status: 502,
      code: undefined,
      details: [],
    });
    // A 2xx is never an error (test/workflows/location.test.ts: the warning it gives).
    await expect(dwolla.get('/html-ok')).resolves.toMatchObject({
      data: undefined,
      response: { status: 200 },
    });
  });

  it('wraps a dropped API connection in a DwollaError', async () => {
    fake.api = (_request, res) => res.socket?.destroy();
    const error = await client()
      .get('/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect((error as DwollaError).status).toBeUndefined();
  });

  it('wraps a body that breaks mid-read in a DwollaError', async () => {
    fake.api = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 5);
    };
    const error = await client()
      .get('/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect(error).toMatchObject({ status: 200 });
  });

  it('refuses a body stream that errors before anything is sent', async () => {
    const stream = new ReadableStream({
      pull(controller) {
        controller.error(new Error('disk read failed'));
      },
    });
    const error = await client()
      .post('/documents', stream)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaRequestRefusedError);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('refuses an unencodable JSON body or header before anything is sent', async () => {
    const dwolla = client();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(dwolla.post('/x', circular)).rejects.toBeInstanceOf(DwollaRequestRefusedError);
    await expect(dwolla.post('/x', { n: 1n })).rejects.toBeInstanceOf(DwollaRequestRefusedError);
    await expect(dwolla.get('/x', { headers: { 'Bad Header': 'x' } })).rejects.toBeInstanceOf(
      DwollaRequestRefusedError,
    );
    expect(fake.server.requests).toHaveLength(0);
  });

  it('the configured generated client works with any operation and path', async () => {
    const dwolla = client();
    const result = await dwolla.client.get({ url: '/accounts/{id}', path: { id: 'a b' } });
    expect(result.data).toEqual({ method: 'GET', path: '/accounts/a%20b', body: '' });
    expect(fake.apiRequests()[0]!.headers.authorization).toBe('Bearer tok-1');
  });
});
