// Property tests: the Basic header always decodes back to the credentials (behaviour 1), and no
// secret or token ever shows in an error, its stack, cause, util.inspect or JSON.stringify, nor
// in the debug log (DWOLLA_DEBUG=1) or a hook's event (behaviour 8).
import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DwollaError, type DwollaClient } from '../../src/index.js';
import { sendJson, type RecordedRequest } from '../helpers/recording-server.js';
import { decodeBasic, echo, noSleep, startFakeDwolla, type FakeDwolla } from './fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
beforeAll(async () => {
  fake = await startFakeDwolla();
});
afterAll(() => fake.close());

const awkward = fc.constantFrom(
  ':',
  '%',
  '+',
  ' ',
  '=',
  '&',
  '%3A',
  '+:',
  'é',
  'ß',
  '☃',
  '😀',
  '\u00a0',
  '"',
  '\\',
);
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const credential = (minLength: number) =>
  fc.string({
    unit: fc.oneof(
      awkward,
      anyChar,
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    ),
    minLength,
    maxLength: 40,
  });
// Short and ASCII, as real Dwolla keys and secrets are: an echo of them fits in an OAuth error code.
const plainCredential = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
  minLength: 10,
  maxLength: 30,
});
const tokenValue = fc
  .string({ unit: fc.constantFrom(...'abcdefXYZ0123456789-._~+/'), minLength: 12, maxLength: 60 })
  .map((t) => `T${t}`);

let currentKey = '';

/**
 * Queues a token reply for this run's client only: a late token request of an earlier run (its
 * client timed out or was aborted before the server saw it) gets a 503 and leaves it queued.
 */
function pushTokenReply(reply: (request: RecordedRequest, res: ServerResponse) => void): void {
  const guarded = (request: RecordedRequest, res: ServerResponse) => {
    if (decodeBasic(request.headers.authorization)?.key !== currentKey) {
      fake.tokenReplies.unshift(guarded);
      return sendJson(res, 503, {});
    }
    return reply(request, res);
  };
  fake.tokenReplies.push(guarded);
}

function reset(key: string, secret: string, token?: string): void {
  currentKey = key;
  fake.credentials = { key, secret };
  fake.nameToken = (n) => (token === undefined ? `tok-${n}` : n === 1 ? token : `${token}-${n}`);
  fake.tokenReplies.length = 0;
  fake.api = echo;
  fake.server.requests.length = 0;
}

describe('client_secret_basic round trip (property)', () => {
  it('the Basic header always decodes back to the credentials', async () => {
    await fc.assert(
      fc.asyncProperty(credential(1), credential(1), async (key, secret) => {
        reset(key, secret);
        const dwolla = testClient({ key, secret, baseUrl: fake.origin });
        await dwolla.getAccessToken(); // the fake answers 401 unless it decodes to key/secret
        const [request] = fake.server.requests;
        expect(decodeBasic(request!.headers.authorization)).toEqual({ key, secret });
        expect(request!.body).toBe('grant_type=client_credentials');
        expect(request!.headers.authorization).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
      }),
      { numRuns: 150 },
    );
  });
});

type Scenario = (ctx: {
  dwolla: DwollaClient;
  secret: string;
  key: string;
  token: string;
}) => Promise<unknown>;

const hold = (res: ServerResponse) => void res;

const scenarios: Record<string, { timeoutMs?: number; run: Scenario }> = {
  'token 401 echoing the secret': {
    run: ({ dwolla, secret, key }) => {
      pushTokenReply((_r, res) =>
        sendJson(res, 401, { error: 'invalid_client', error_description: `bad ${key}:${secret}` }),
      );
      return dwolla.getAccessToken();
    },
  },
  'token 500 HTML page echoing the secret': {
    run: ({ dwolla, secret }) => {
      for (let i = 0; i < 3; i++) {
        pushTokenReply((_r, res) => {
          res.writeHead(500, { 'Content-Type': 'text/html' });
          res.end(`<html>${secret}</html>`);
        });
      }
      return dwolla.get('/x');
    },
  },
  'token malformed JSON echoing the secret': {
    run: ({ dwolla, secret }) => {
      pushTokenReply((_r, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`{"access_token": "${secret}`);
      });
      return dwolla.getAccessToken();
    },
  },
  'token with a wrong token_type': {
    run: ({ dwolla, token }) => {
      pushTokenReply((_r, res) =>
        sendJson(res, 200, { access_token: token, token_type: 'mac', expires_in: 60 }),
      );
      return dwolla.getAccessToken();
    },
  },
  'token with a bad expires_in': {
    run: ({ dwolla, token }) => {
      pushTokenReply((_r, res) =>
        sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: 'soon' }),
      );
      return dwolla.get('/x');
    },
  },
  'hanging token endpoint': {
    timeoutMs: 30,
    run: ({ dwolla }) => {
      pushTokenReply((_r, res) => hold(res));
      return dwolla.getAccessToken();
    },
  },
  'token endpoint dropping connections': {
    run: ({ dwolla }) => {
      for (let i = 0; i < 3; i++) pushTokenReply((_r, res) => res.socket?.destroy());
      return dwolla.getAccessToken();
    },
  },
  'foreign link': {
    run: async ({ dwolla }) => {
      await dwolla.getAccessToken();
      return dwolla.get({ href: 'https://api.dwolla.com@evil.example/customers' });
    },
  },
  'API 401 twice echoing the token': {
    run: ({ dwolla, token }) => {
      fake.api = (request, res) =>
        sendJson(res, 401, {
          code: 'InvalidAccessToken',
          message: `Token ${token} rejected (${request.headers.authorization})`,
        });
      return dwolla.get('/x');
    },
  },
  'API 400 echoing secret and token in embedded errors': {
    run: ({ dwolla, token, secret }) => {
      fake.api = (_r, res) =>
        sendJson(res, 400, {
          code: 'ValidationError',
          message: `secret was ${secret}`,
          _embedded: {
            errors: [
              { code: 'Invalid', message: `Authorization: Bearer ${token}`, path: `/${token}` },
            ],
          },
        });
      return dwolla.post('/customers', { a: 1 });
    },
  },
  'API 401 and 503 echoing the token and the Authorization header in response headers': {
    run: ({ dwolla, token }) => {
      fake.api = (r, res) =>
        fake.apiRequests().length === 1
          ? sendJson(res, 503, {}, { 'X-Request-Id': `${r.headers.authorization}` })
          : sendJson(
              res,
              401,
              { code: 'InvalidScopes' },
              {
                'X-Request-Id': token,
                'WWW-Authenticate': `Bearer error="invalid_token" token="${token}"`,
                'X-Echo': `${r.headers.authorization}`,
              },
            );
      return dwolla.get('/x');
    },
  },
  'API 400 not JSON echoing the Authorization header in X-Request-Id': {
    run: ({ dwolla }) => {
      fake.api = (r, res) => {
        res.writeHead(400, { 'X-Request-Id': `${r.headers.authorization}` });
        res.end('<html>not json</html>');
      };
      return dwolla.get('/x');
    },
  },
  'token 400 echoing the Authorization header in response headers': {
    run: ({ dwolla }) => {
      pushTokenReply((r, res) =>
        sendJson(
          res,
          400,
          { error: 'invalid_request' },
          {
            'X-Request-Id': `${r.headers.authorization}`,
            'WWW-Authenticate': `${r.headers.authorization}`,
          },
        ),
      );
      return dwolla.getAccessToken();
    },
  },
  'API connection dropped': {
    run: ({ dwolla }) => {
      fake.api = (_r, res) => res.socket?.destroy();
      return dwolla.delete('/x');
    },
  },
  'token 400 echoing the Authorization header in error': {
    run: ({ dwolla }) => {
      pushTokenReply((r, res) => sendJson(res, 400, { error: r.headers.authorization }));
      return dwolla.getAccessToken();
    },
  },
  'token 401 echoing the Authorization header in error_description': {
    run: ({ dwolla }) => {
      pushTokenReply((r, res) =>
        sendJson(res, 401, {
          error: 'invalid_client',
          error_description: `rejected ${r.headers.authorization}`,
        }),
      );
      return dwolla.get('/x');
    },
  },
  'token 401 echoing the key in error': {
    run: ({ dwolla, key }) => {
      pushTokenReply((_r, res) => sendJson(res, 401, { error: key }));
      return dwolla.getAccessToken();
    },
  },
  'token 401 echoing the secret in error': {
    run: ({ dwolla, secret }) => {
      pushTokenReply((_r, res) => sendJson(res, 401, { error: secret }));
      return dwolla.getAccessToken();
    },
  },
  'token 403 echoing key and secret in message and a nested field': {
    run: ({ dwolla, key, secret }) => {
      pushTokenReply((r, res) =>
        sendJson(res, 403, {
          error: `Basic ${r.headers.authorization?.slice(6)}`,
          message: `${key}:${secret}`,
          detail: { seen: [r.headers.authorization, secret] },
        }),
      );
      return dwolla.getAccessToken();
    },
  },
  'token 200 echoing the credentials instead of a token': {
    run: ({ dwolla, secret }) => {
      pushTokenReply((r, res) =>
        sendJson(res, 200, { access_token: secret, token_type: r.headers.authorization }),
      );
      return dwolla.getAccessToken();
    },
  },
  'generated operation: API 400 echoing secret and token in its body': {
    run: ({ dwolla, token, secret }) => {
      fake.api = (r, res) =>
        sendJson(res, 400, {
          code: 'ValidationError',
          message: `secret ${secret}, ${r.headers.authorization}`,
          _embedded: { errors: [{ code: token, message: `Bearer ${token}`, path: `/${secret}` }] },
          echo: { authorization: r.headers.authorization, nested: [token] },
        });
      return dwolla.client.post({ url: '/customers', body: { a: 1 } });
    },
  },
  'dwolla.fetch: API 401 InvalidScopes echoing the Authorization header': {
    run: ({ dwolla }) => {
      fake.api = (r, res) =>
        sendJson(res, 401, { code: 'InvalidScopes', message: `${r.headers.authorization}` });
      return dwolla.fetch(`${fake.origin}/x`);
    },
  },
  'API call aborted by the caller': {
    run: ({ dwolla }) => {
      const controller = new AbortController();
      fake.api = (_r, res) => {
        hold(res);
        controller.abort();
      };
      return dwolla.get('/x', { signal: controller.signal });
    },
  },
};

describe('no secret or token leaks (property)', () => {
  // DWOLLA_DEBUG=1: every client below logs each attempt to stderr (console.error), captured.
  const logged: string[] = [];
  beforeAll(() => {
    vi.stubEnv('DWOLLA_DEBUG', '1');
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('holds over random credentials, tokens and every failure path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(credential(10), plainCredential).map((k) => `K${k}`),
        fc.oneof(credential(10), plainCredential).map((s) => `S${s}`),
        tokenValue,
        fc.constantFrom(...Object.keys(scenarios)),
        async (key, secret, token, name) => {
          reset(key, secret, token);
          logged.length = 0;
          const events: unknown[] = [];
          const scenario = scenarios[name]!;
          const dwolla = testClient({
            key,
            secret,
            baseUrl: fake.origin,
            sleep: noSleep,
            tokenTimeoutMs: scenario.timeoutMs ?? 5_000,
            hooks: {
              onAttempt: (e) => events.push(e),
              onResponse: (e) => events.push(e),
              onRetry: (e) => events.push(e),
            },
          });
          const error = await scenario.run({ dwolla, key, secret, token }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, name).toBeInstanceOf(DwollaError);
          if (fake.apiRequests().length > 0) expect(logged.length, name).toBeGreaterThan(0);

          const err = error as DwollaError;
          const basic = Buffer.from(
            `${new URLSearchParams([['', key]]).toString().slice(1)}:${new URLSearchParams([['', secret]]).toString().slice(1)}`,
          ).toString('base64');
          const body = (err as { body?: unknown }).body;
          const haystacks = [
            err.message,
            String(err.code),
            inspect(err, { showHidden: true, depth: Infinity }),
            JSON.stringify(body ?? null),
            inspect(body, { showHidden: true, depth: Infinity }),
            JSON.stringify((err as { details?: unknown }).details ?? null),
            String(err.stack),
            inspect(err, { depth: Infinity }),
            JSON.stringify(err),
            inspect(err.cause, { depth: Infinity }),
            inspect(dwolla, { depth: Infinity }),
            JSON.stringify(dwolla),
            inspect(dwolla.client.getConfig(), { depth: Infinity }),
            logged.join('\n'),
            JSON.stringify(events),
          ];
          const form = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);
          const plain = [
            secret,
            key,
            form(secret),
            form(key),
            basic,
            ...fake.issued.filter((t) => t.startsWith(token)),
          ];
          // Also as util.inspect and JSON escape them (quotes, backslashes, control characters).
          const escaped = plain.flatMap((n) => [
            inspect(n).slice(1, -1),
            JSON.stringify(n).slice(1, -1),
          ]);
          for (const needle of new Set([...plain, ...escaped].filter((n) => n.length >= 4))) {
            for (const haystack of haystacks) {
              expect(
                haystack.includes(needle),
                `${name}: leaked into ${haystack.slice(0, 200)}`,
              ).toBe(false);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('inspect and JSON of a working client show only its base URL', async () => {
    reset('my-app-key-123', 'my-app-secret-456', 'Tmy-live-token-789');
    const dwolla = testClient({
      key: 'my-app-key-123',
      secret: 'my-app-secret-456',
      baseUrl: fake.origin,
    });
    await dwolla.get('/x');
    expect(JSON.stringify(dwolla)).toBe(JSON.stringify({ baseUrl: fake.origin }));
    expect(inspect(dwolla)).toBe(`DwollaClient {"baseUrl":"${fake.origin}"}`);
    const config = inspect(dwolla.client.getConfig(), { depth: Infinity, showHidden: true });
    for (const needle of ['my-app-key-123', 'my-app-secret-456', 'Tmy-live-token-789']) {
      expect(config).not.toContain(needle);
    }
  });
});
