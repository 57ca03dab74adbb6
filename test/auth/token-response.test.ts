// Behaviour 2: the token response is checked field by field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaError, DwollaTokenError } from '../../src/index.js';
import { sendJson } from '../helpers/recording-server.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from './fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(() => fake.close());

const client = () => testClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });

const raw =
  (status: number, body: string, type = 'application/json') =>
  () =>
    fake.tokenReplies.push((_r, res) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    });

describe('accepted token responses', () => {
  it.each([
    ['token_type in any case', { access_token: 'a', token_type: 'BeArEr', expires_in: 60 }, 'a'],
    [
      'expires_in as a numeric string',
      { access_token: 'b', token_type: 'bearer', expires_in: '3600' },
      'b',
    ],
    ['fractional expires_in', { access_token: 'c', token_type: 'Bearer', expires_in: 0.5 }, 'c'],
  ])('accepts %s', async (_name, body, token) => {
    fake.tokenReplies.push((_r, res) => sendJson(res, 200, body));
    await expect(client().getAccessToken()).resolves.toBe(token);
  });
});

describe('rejected token responses', () => {
  const invalid = (body: unknown) => () =>
    fake.tokenReplies.push((_r, res) => sendJson(res, 200, body));
  const cases: Array<[string, () => void, { status: number; code?: string; requests: number }]> = [
    [
      '401 invalid_client (not retried)',
      () => fake.tokenReplies.push((_r, res) => sendJson(res, 401, { error: 'invalid_client' })),
      { status: 401, code: 'invalid_client', requests: 1 },
    ],
    [
      '400 invalid_grant (not retried)',
      () =>
        fake.tokenReplies.push((_r, res) =>
          sendJson(res, 400, { error: 'invalid_grant', error_description: 'x' }),
        ),
      { status: 400, code: 'invalid_grant', requests: 1 },
    ],
    [
      '403 with an HTML body',
      raw(403, '<html>denied</html>', 'text/html'),
      { status: 403, requests: 1 },
    ],
    [
      '200 with an HTML body',
      raw(200, '<html>cdn</html>', 'text/html'),
      { status: 200, requests: 1 },
    ],
    ['200 with truncated JSON', raw(200, '{"access_token":'), { status: 200, requests: 1 }],
    ['200 with an empty body', raw(200, ''), { status: 200, requests: 1 }],
    ['200 with a JSON array', invalid([{ access_token: 'a' }]), { status: 200, requests: 1 }],
    ['200 with JSON null', invalid(null), { status: 200, requests: 1 }],
    [
      'missing access_token',
      invalid({ token_type: 'bearer', expires_in: 60 }),
      { status: 200, requests: 1 },
    ],
    [
      'empty access_token',
      invalid({ access_token: '', token_type: 'bearer', expires_in: 60 }),
      { status: 200, requests: 1 },
    ],
    [
      'numeric access_token',
      invalid({ access_token: 7, token_type: 'bearer', expires_in: 60 }),
      { status: 200, requests: 1 },
    ],
    [
      'token_type mac',
      invalid({ access_token: 'a', token_type: 'mac', expires_in: 60 }),
      { status: 200, requests: 1 },
    ],
    [
      'missing token_type',
      invalid({ access_token: 'a', expires_in: 60 }),
      { status: 200, requests: 1 },
    ],
    [
      'expires_in 0',
      invalid({ access_token: 'a', token_type: 'bearer', expires_in: 0 }),
      { status: 200, requests: 1 },
    ],
    [
      'expires_in negative',
      invalid({ access_token: 'a', token_type: 'bearer', expires_in: -5 }),
      { status: 200, requests: 1 },
    ],
    [
      'expires_in non-numeric string',
      invalid({ access_token: 'a', token_type: 'bearer', expires_in: '1h' }),
      { status: 200, requests: 1 },
    ],
    [
      'expires_in exponent string',
      invalid({ access_token: 'a', token_type: 'bearer', expires_in: '1e3' }),
      { status: 200, requests: 1 },
    ],
    [
      'expires_in missing',
      invalid({ access_token: 'a', token_type: 'bearer' }),
      { status: 200, requests: 1 },
    ],
    [
      'expires_in overflowing to Infinity',
      raw(200, '{"access_token":"a","token_type":"bearer","expires_in":1e400}'),
      { status: 200, requests: 1 },
    ],
    [
      '200 carrying an OAuth error',
      invalid({ error: 'temporarily_unavailable' }),
      { status: 200, code: 'temporarily_unavailable', requests: 1 },
    ],
    [
      '500 HTML page (retried twice)',
      () => {
        for (let i = 0; i < 3; i++) raw(500, '<html>Internal Server Error</html>', 'text/html')();
      },
      { status: 500, requests: 3 },
    ],
  ];

  it.each(cases)(
    '%s → DwollaTokenError, never a bare SyntaxError',
    async (_name, arrange, expected) => {
      arrange();
      const error = await client()
        .getAccessToken()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(DwollaTokenError);
      expect(error).toBeInstanceOf(DwollaError);
      expect(error).not.toBeInstanceOf(SyntaxError);
      const tokenError = error as DwollaTokenError;
      expect(tokenError.status).toBe(expected.status);
      expect(tokenError.code).toBe(expected.code);
      expect(tokenError.response?.status).toBe(expected.status);
      expect(fake.tokenRequests()).toHaveLength(expected.requests);
    },
  );

  it.each([
    ['CR/LF', 'tok\r\nX-Injected: 1'],
    ['a bare LF', 'tok\nx'],
    ['NUL', 'tok\u0000x'],
    ['a non-Latin-1 character', 'tok-☃'],
    ['a space', 'tok x'],
  ])(
    'an access_token with %s is refused at intake and never cached: the next call gets a new one',
    async (_name, token) => {
      fake.tokenReplies.push((_r, res) =>
        sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 }),
      );
      const dwolla = client();
      const error = await dwolla.get('/x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaTokenError);
      expect((error as Error).message).toMatch(/access_token has characters a header cannot carry/);
      expect(fake.apiRequests()).toHaveLength(0);
      await expect(dwolla.get('/x')).resolves.toMatchObject({ response: { status: 200 } });
      expect(fake.tokenRequests()).toHaveLength(2);
      expect(fake.apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok-1']);
    },
  );

  it('ignores an OAuth error code that is not a valid RFC 6749 code', async () => {
    fake.tokenReplies.push((_r, res) => sendJson(res, 401, { error: 'bad"code' }));
    await expect(client().getAccessToken()).rejects.toMatchObject({ status: 401, code: undefined });
  });
});
