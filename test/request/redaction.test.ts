// What the client tells about a call (errors and their causes, hook events, the debug log)
// carries no credential or token, even when the transport's own error quotes what it was sent,
// and no query value of the caller's.
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DwollaError,
  DwollaNetworkError,
  DwollaTokenError,
  type DwollaAttemptEvent,
  type DwollaResponseEvent,
  type DwollaRetryEvent,
} from '../../src/index.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(() => fake.close());

/** A transport whose error, for `failing` URLs, quotes the Authorization header it was sent. */
function echoingTransport(failing: (url: string) => boolean): typeof globalThis.fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!failing(url)) return globalThis.fetch(input, init);
    const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
    const cause = new Error(`tls: handshake sent ${headers.get('Authorization')}`);
    throw new TypeError(`fetch failed: ${headers.get('Authorization')}`, { cause });
  };
}

/** Everything a log or an error report could show of `error`. */
function shown(error: unknown): string {
  const causes: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) causes.push(`${e.message}\n${e.stack}`);
  return [inspect(error, { depth: 10, showHidden: true }), ...causes].join('\n');
}

const basic = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

describe("a transport's error that quotes what it was sent", () => {
  it('reaches the token error redacted: no Basic value, key or secret in its causes', async () => {
    const dwolla = testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      sleep: async () => {},
      fetch: echoingTransport((url) => url.endsWith('/token')),
    });
    const error = await dwolla.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaTokenError);
    const text = shown(error);
    expect(text).toContain('fetch failed: Basic [REDACTED]');
    expect(text).toContain('tls: handshake sent Basic [REDACTED]');
    for (const secret of [basic.slice(6), SECRET, KEY]) expect(text).not.toContain(secret);
    // The cause keeps its name, so a reader still sees what failed.
    expect((error as Error).cause).toMatchObject({ name: 'TypeError' });
  });

  it('reaches the API error redacted: no bearer token in its causes, nor in the hook events', async () => {
    const responses: DwollaResponseEvent[] = [];
    const lines: string[] = [];
    const dwolla = testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      sleep: async () => {},
      maxRetries: 1,
      fetch: echoingTransport((url) => !url.endsWith('/token')),
      hooks: { onResponse: (event) => responses.push(event) },
      debug: (line) => lines.push(line),
    });
    const error = await dwolla.get('/customers').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaNetworkError);
    expect(error).toBeInstanceOf(DwollaError);
    const text = [shown(error), ...responses.map((e) => e.error), ...lines].join('\n');
    expect(fake.issued).toEqual(['tok-1']);
    expect(text).not.toContain('tok-1');
    expect(shown(error)).toContain('fetch failed: Bearer [REDACTED]');
    expect(responses).toHaveLength(2);
  });
});

describe('a failure of any shape from the transport', () => {
  /** A client whose fetch, for API calls, rejects with what `failure(authorization)` makes. */
  const failingWith = (failure: (authorization: string) => unknown) =>
    testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      maxRetries: 0,
      fetch: async (input, init) => {
        const url = String(input);
        if (url.endsWith('/token')) return globalThis.fetch(input, init);
        throw failure(new Headers(init?.headers).get('Authorization')!);
      },
    });

  it('a string, an error with a code, a DwollaError: each quoted token redacted, names and codes kept', async () => {
    const coded = (authorization: string) =>
      Object.assign(new Error(`refused ${authorization}`), { code: `E_${authorization}` });
    const numbered = (authorization: string) =>
      Object.assign(new Error(`refused ${authorization}`), { code: 401 });
    const inner = (authorization: string) =>
      new DwollaError('wrapped', { cause: new Error(`inner ${authorization}`) });
    for (const failure of [
      (authorization: string) => `socket sent ${authorization}`,
      (authorization: string) => new TypeError('fetch failed', { cause: coded(authorization) }),
      (authorization: string) => new TypeError('fetch failed', { cause: numbered(authorization) }),
      (authorization: string) => new TypeError('fetch failed', { cause: inner(authorization) }),
      () => 42,
    ]) {
      const error = await failingWith(failure)
        .get('/customers')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaError);
      expect(shown(error)).not.toContain('tok-1');
      expect(inspect(error, { depth: 10 })).not.toContain('tok-1');
    }
    const withCode = await failingWith((a) => new TypeError('x', { cause: coded(a) }))
      .get('/customers')
      .catch((e: unknown) => e);
    expect((withCode as Error).cause).toMatchObject({
      name: 'TypeError',
      cause: { message: 'refused Bearer [REDACTED]', code: 'E_Bearer [REDACTED]' },
    });
    const withNumber = await failingWith((a) => new TypeError('x', { cause: numbered(a) }))
      .get('/customers')
      .catch((e: unknown) => e);
    expect((withNumber as Error).cause).toMatchObject({ cause: { code: 401 } });
    const inDwollaError = await failingWith((a) => new TypeError('x', { cause: inner(a) }))
      .get('/customers')
      .catch((e: unknown) => e);
    const kept = ((inDwollaError as Error).cause as Error).cause;
    expect(kept).toBeInstanceOf(DwollaError);
    expect((kept as Error).cause).toMatchObject({ message: 'inner Bearer [REDACTED]' });
  });

  it('a cause chain that loops back on itself ends, its quoted token redacted', async () => {
    const error = await failingWith((authorization) => {
      const looping = new TypeError(`fetch failed: ${authorization}`);
      Object.assign(looping, { cause: looping });
      return looping;
    })
      .get('/customers')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    const first = (error as Error).cause as Error;
    expect(first.message).toBe('fetch failed: Bearer [REDACTED]');
    expect(first.cause).toMatchObject({ message: 'fetch failed: Bearer [REDACTED]' });
  });
});

describe('URLs in hook events and the debug log', () => {
  it('keep the origin, the path and the query names; never the query values', async () => {
    const attempts: DwollaAttemptEvent[] = [];
    const responses: DwollaResponseEvent[] = [];
    const retries: DwollaRetryEvent[] = [];
    const lines: string[] = [];
    let first = true;
    fake.api = (_request, res) => {
      res.writeHead(first ? 503 : 200, { 'Content-Type': 'application/json' });
      first = false;
      res.end('{}');
    };
    const dwolla = testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      sleep: async () => {},
      hooks: {
        onAttempt: (e) => attempts.push(e),
        onResponse: (e) => responses.push(e),
        onRetry: (e) => retries.push(e),
      },
      debug: (line) => lines.push(line),
    });
    await dwolla.get('/customers', {
      query: { search: 'jane.doe@example.com', limit: 25, email: 'jane doe' },
    });
    // The request itself carried the values.
    expect(fake.apiRequests()[0]!.path).toContain('search=jane.doe%40example.com');
    const shownUrl = `${fake.origin}/customers?search=[REDACTED]&limit=[REDACTED]&email=[REDACTED]`;
    expect([...attempts, ...responses, ...retries].map((e) => e.url)).toEqual(
      Array(5).fill(shownUrl),
    );
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain(`GET ${shownUrl} |`);
    expect(lines.join('\n')).not.toMatch(/jane|example|limit=25/);
    // A query that is a bare value (no name) is all value.
    await dwolla.fetch(`${fake.origin}/customers?jane.doe&limit=2`);
    expect(attempts.at(-1)!.url).toBe(`${fake.origin}/customers?[REDACTED]&limit=[REDACTED]`);
  });
});
