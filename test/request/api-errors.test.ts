// What a non-2xx answer becomes: the DwollaApiError's class and message, whatever the server
// sends (409 codes, escapes and newlines, deep JSON, long text to redact).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaApiError, DwollaIdempotencyError, type DwollaClient } from '../../src/index.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { sendJson } from '../helpers/recording-server.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
let dwolla: DwollaClient;
beforeEach(async () => {
  fake = await startFakeDwolla();
  dwolla = testClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });
});
afterEach(() => fake.close());

const caught = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: unknown) => e,
  );

/** The API answers every call with `status` and this raw JSON text. */
function answer(status: number, text: string): void {
  fake.api = (_request, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(text);
  };
}

describe('409 on a POST', () => {
  it.each(['Conflict', 'IdempotencyKeyConflict'])(
    'is an idempotency-key conflict when its code (%s) says so',
    async (code) => {
      fake.api = (_r, res) => sendJson(res, 409, { code, message: 'in flight' });
      const error = await caught(dwolla.post('/transfers', { amount: 1 }));
      expect(error).toBeInstanceOf(DwollaIdempotencyError);
      expect((error as Error).message).toMatch(/Idempotency-Key is locked/);
    },
  );

  it.each([
    ['DuplicateResource', { code: 'DuplicateResource', message: 'Bank already exists: id=fs-1' }],
    ['no code', { message: 'conflict' }],
    ['a body that is not JSON', 'conflict'],
  ])('with %s is a plain DwollaApiError, without the idempotency advice', async (_name, body) => {
    answer(409, typeof body === 'string' ? body : JSON.stringify(body));
    const error = await caught(dwolla.post('/funding-sources', { name: 'x' }));
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).not.toBeInstanceOf(DwollaIdempotencyError);
    expect(error).toMatchObject({ status: 409 });
    expect((error as Error).message).not.toMatch(/Idempotency-Key/);
    expect(fake.apiRequests()).toHaveLength(1);
  });
});

describe('embedded errors of any shape', () => {
  it('an item without a message is named by its code; non-strings and non-objects are skipped', async () => {
    fake.api = (_r, res) =>
      sendJson(res, 400, {
        code: 'ValidationError',
        message: 'Validation error(s) present.',
        _embedded: {
          errors: [{ code: 'Required', path: '/firstName', message: 7 }, 'not an item', null],
        },
      });
    const error = await caught(dwolla.post('/customers', { lastName: 'Doe' }));
    expect(error).toBeInstanceOf(DwollaApiError);
    expect((error as Error).message).toBe(
      'Dwolla API POST /customers: HTTP 400 ValidationError: /firstName: Required',
    );
    expect((error as DwollaApiError).details).toEqual([{ code: 'Required', path: '/firstName' }]);
  });

  it('an _embedded.errors that is not a list gives no details and the top-level message', async () => {
    fake.api = (_r, res) =>
      sendJson(res, 400, { code: 'BadRequest', message: 'Bad.', _embedded: { errors: {} } });
    const error = await caught(dwolla.get('/customers'));
    expect((error as Error).message).toBe('Dwolla API GET /customers: HTTP 400 BadRequest: Bad.');
    expect((error as DwollaApiError).details).toEqual([]);
  });
});

describe('server text in the message', () => {
  it('reaches err.message without ANSI escapes, control characters or line breaks', async () => {
    fake.api = (_r, res) =>
      sendJson(
        res,
        400,
        {
          code: 'Bad\u001b[31mRequest',
          message: 'line one\r\nline two\u001b]0;title\u0007\u001b[2J\u0000\tend\u2028more\u0085',
        },
        { 'X-Request-Id': 'req-1' },
      );
    const error = (await caught(dwolla.get('/customers'))) as DwollaApiError;
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error.message).toBe(
      'Dwolla API GET /customers: HTTP 400 BadRequest: line one line two end more (request id req-1)',
    );
    // The body keeps the server's text as sent (secrets redacted), for whoever needs it.
    expect((error.body as { message: string }).message).toContain('\r\n');
  });

  it('a 5,000-deep JSON error body gives a DwollaApiError, body included', async () => {
    const depth = 5_000;
    answer(400, `{"code":"Deep","nested":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`);
    const error = await caught(dwolla.get('/deep'));
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).toMatchObject({ status: 400, code: 'Deep' });
    let level: unknown = (error as DwollaApiError & { body: { nested: unknown } }).body.nested;
    let seen = 0;
    while (Array.isArray(level)) {
      level = level[0];
      seen++;
    }
    expect([seen, level]).toEqual([depth, 'x']);
  });
});

describe('redacting long server text', () => {
  // Shapes that cost quadratic time in a backtracking pattern: long runs of what may end a token.
  const shapes: Array<[string, (n: number) => string]> = [
    ['dots after Bearer', (n) => `Bearer ${'.'.repeat(n)}x`],
    ['dashes and tildes after Basic', (n) => `Basic a${'-~'.repeat(n / 2)}b`],
    ['underscores after Bearer', (n) => `Bearer ${'_'.repeat(n)}!`],
    ['many short Bearer values', (n) => `Bearer a.b. `.repeat(n / 12)],
  ];

  it.each(shapes)(
    '200 KB of %s is redacted in well under a second per call (linear time)',
    async (_name, make) => {
      const message = make(200_000);
      fake.api = (_r, res) => sendJson(res, 400, { code: 'Long', message });
      const started = performance.now();
      const error = await caught(dwolla.get('/long'));
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(DwollaApiError);
      expect((error as Error).message.length).toBeGreaterThan(100_000);
      // Quadratic redaction took about 2 min here; linear takes milliseconds. A loaded machine
      // gets a generous margin.
      expect(elapsed).toBeLessThan(5_000);
    },
  );
});
