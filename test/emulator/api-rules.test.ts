import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { api, emulator, getToken, HAL } from './helpers.js';

const validCustomer = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' };

async function started(
  options: { now?: () => number; tokenLifetime?: number; state?: boolean } = {},
) {
  const emu = await emulator({ spec: fixtureSpec(), ...options });
  return { emu, token: await getToken(emu.url) };
}

describe('bearer tokens', () => {
  it('accepts a token it issued', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/customers');
    expect(response.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a token it never issued', 'not-a-token'],
  ])('answers 401 InvalidAccessToken for %s', async (_, token) => {
    const { emu } = await started();
    const response = await api(emu.url, token, '/customers');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe(HAL);
    expect(await response.json()).toEqual({
      code: 'InvalidAccessToken',
      message: expect.any(String),
    });
  });

  it('answers 401 ExpiredAccessToken once the token outlives its lifetime (injected clock)', async () => {
    let now = 1_000_000;
    const { emu, token } = await started({ now: () => now, tokenLifetime: 60 });
    now += 59_999;
    expect((await api(emu.url, token, '/customers')).status).toBe(200);
    now += 1;
    const response = await api(emu.url, token, '/customers');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 'ExpiredAccessToken',
      message: expect.any(String),
    });
  });

  it('setTokenLifetime applies to tokens issued afterwards', async () => {
    let now = 0;
    const { emu, token: long } = await started({ now: () => now });
    emu.setTokenLifetime(10);
    const short = await getToken(emu.url);
    now += 10_000;
    expect(
      ((await (await api(emu.url, short, '/customers')).json()) as { code: string }).code,
    ).toBe('ExpiredAccessToken');
    expect((await api(emu.url, long, '/customers')).status).toBe(200);
  });

  it('revokeTokens makes every issued token invalid; new ones work', async () => {
    const { emu, token } = await started();
    emu.revokeTokens();
    const response = await api(emu.url, token, '/customers');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('InvalidAccessToken');
    expect((await api(emu.url, await getToken(emu.url), '/customers')).status).toBe(200);
  });
});

describe('Accept header', () => {
  it.each([
    ['no Accept header', undefined],
    ['application/json', 'application/json'],
    ['another Dwolla version', 'application/vnd.dwolla.v2.hal+json'],
  ])('answers 406 InvalidVersion for %s', async (_, accept) => {
    const { emu, token } = await started();
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (accept) headers.accept = accept;
    const response = await fetch(`${emu.url}/customers`, { headers });
    expect(response.status).toBe(406);
    expect(await response.json()).toEqual({ code: 'InvalidVersion', message: expect.any(String) });
  });

  it('accepts the HAL media type within a list, with parameters', async () => {
    const { emu, token } = await started();
    const accept = `application/json;q=0.5, ${HAL}; charset=utf-8`;
    expect((await api(emu.url, token, '/customers', { headers: { accept } })).status).toBe(200);
  });
});

describe('request validation', () => {
  it('answers 400 ValidationError with JSON pointers to the invalid body fields', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/customers', {
      body: { firstName: 7, lastName: 'Doe', email: 'not an email', nickname: 'J' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      code: string;
      message: string;
      _embedded: { errors: { code: string; message: string; path: string }[] };
    };
    expect(body.code).toBe('ValidationError');
    expect(body.message).toEqual(expect.any(String));
    const byPath = Object.fromEntries(body._embedded.errors.map((e) => [e.path, e.code]));
    expect(byPath).toEqual({
      '/firstName': 'Invalid',
      '/email': 'Invalid',
      '/nickname': 'NotAllowed',
    });
    for (const e of body._embedded.errors) expect(e.message).toEqual(expect.any(String));
  });

  it('points at a missing required field', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/customers', {
      body: { firstName: 'Jane', email: 'jane@example.com' },
    });
    const body = (await response.json()) as { _embedded: { errors: unknown[] } };
    expect(body._embedded.errors).toEqual([
      {
        code: 'Required',
        message: expect.stringContaining('lastName'),
        path: '/lastName',
        _links: {},
      },
    ]);
  });

  it('accepts JSON sent as application/json where the spec declares HAL+JSON', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/customers', {
      body: validCustomer,
      contentType: 'application/json; charset=utf-8',
    });
    expect(response.status).toBe(201);
  });

  it('requires a body where the spec does', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/customers', { method: 'POST' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      _embedded: { errors: { path: string; code: string }[] };
    };
    expect(body._embedded.errors).toMatchObject([{ path: '', code: 'Required' }]);
  });

  it('validates query parameters (typed, coerced from text) and refuses unknown ones', async () => {
    const { emu, token } = await started();
    expect((await api(emu.url, token, '/customers?limit=25')).status).toBe(200);
    const response = await api(emu.url, token, '/customers?limit=0&colour=red');
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      _embedded: { errors: { path: string; code: string }[] };
    };
    expect(body._embedded.errors.map((e) => [e.path, e.code]).sort()).toEqual([
      ['/query/colour', 'NotAllowed'],
      ['/query/limit', 'Invalid'],
    ]);
  });

  it('validates required header parameters', async () => {
    const { emu, token } = await started();
    const body = { amount: { value: '10.00' } };
    const missing = await api(emu.url, token, '/transfers', {
      body,
      contentType: 'application/json',
    });
    expect(missing.status).toBe(400);
    expect(
      ((await missing.json()) as { _embedded: { errors: { path: string }[] } })._embedded.errors,
    ).toMatchObject([{ path: '/header/idempotency-key', code: 'Required' }]);
    const ok = await api(emu.url, token, '/transfers', {
      body,
      contentType: 'application/json',
      headers: { 'Idempotency-Key': 'abcdefgh-1' },
    });
    expect(ok.status).toBe(200);
  });

  it('answers 400 BadRequest for malformed JSON and 415 for an undeclared media type', async () => {
    const { emu, token } = await started();
    const malformed = await api(emu.url, token, '/customers', { body: '{"firstName": ' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('BadRequest');
    const text = await api(emu.url, token, '/customers', {
      body: 'hello',
      contentType: 'text/plain',
    });
    expect(text.status).toBe(415);
  });

  it('parses and validates multipart/form-data bodies', async () => {
    const { emu, token } = await started({ state: false }); // samples, not stored resources
    const upload = (documentType: string) => {
      const form = new FormData();
      form.set('documentType', documentType);
      form.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'id.pdf');
      return fetch(`${emu.url}/customers/abc/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: HAL },
        body: form,
      });
    };
    const ok = await upload('passport');
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toMatch(new RegExp(`^${emu.url}/documents/[0-9a-f-]{36}$`));
    const bad = await upload('selfie');
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { _embedded: { errors: { path: string }[] } })._embedded.errors,
    ).toMatchObject([{ path: '/documentType' }]);
  });

  it('answers 404 NotFound for an unknown path and 405 for a method the path lacks', async () => {
    const { emu, token } = await started();
    const missing = await api(emu.url, token, '/no-such-thing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'NotFound', message: expect.any(String) });
    expect((await api(emu.url, undefined, '/customers/abc/nope')).status).toBe(404);
    const wrongMethod = await api(emu.url, token, '/customers/abc', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });
});

describe('responses', () => {
  const spec = fixtureSpec();
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(spec, 'spec');
  const schemaOf = (path: string, method: string, status: string) =>
    ajv.compile({
      $ref: `spec#/paths/${encodeURIComponent(path.replaceAll('/', '~1'))}/${method}/responses/${status}/content/${encodeURIComponent(HAL.replaceAll('/', '~1'))}/schema`,
    });

  it('answers 201 with an absolute Location on the emulator and an empty body', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/customers', { body: validCustomer });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toMatch(
      new RegExp(`^${emu.url}/customers/[0-9a-f-]{36}$`),
    );
    expect(response.headers.get('content-type')).toBeNull();
    expect(await response.text()).toBe('');
    const again = await api(emu.url, token, '/customers', { body: validCustomer });
    expect(again.headers.get('location')).not.toBe(response.headers.get('location'));
  });

  it("sends the spec's example when it validates", async () => {
    const { emu, token } = await started({ state: false }); // samples, not stored resources
    const response = await api(emu.url, token, '/customers/c41125c5');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(HAL);
    expect(await response.json()).toEqual(
      spec.paths['/customers/{id}'].get.responses['200'].content[HAL].example,
    );
  });

  it('synthesises a body that validates when there is no example, or the example is wrong', async () => {
    const { emu, token } = await started({ state: false }); // samples, not stored resources
    for (const [path, template] of [
      ['/customers', '/customers'],
      ['/documents/d1', '/documents/{id}'],
    ] as const) {
      const body = await (await api(emu.url, token, path)).json();
      const validate = schemaOf(template, 'get', '200');
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    }
    const document = (await (await api(emu.url, token, '/documents/d1')).json()) as {
      type: string;
    };
    expect(document.type).toBe('passport');
  });

  it('answers with the lowest 2xx status the operation declares', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, '/transfers', {
      body: { amount: { value: '1.00' } },
      headers: { 'Idempotency-Key': '12345678' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
  });
});
