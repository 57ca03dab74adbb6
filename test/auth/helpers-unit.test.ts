// Unit checks for small helpers whose edge cases the wire tests cannot reach.
import { describe, expect, it } from 'vitest';
import { abortable } from '../../src/common/abort.js';
import { redactSecrets } from '../../src/common/redact.js';
import { DwollaError, DwollaRequestRefusedError, createDwollaClient } from '../../src/index.js';

describe('abortable', () => {
  it('rejects at once for an already-aborted signal and keeps the shared rejection handled', async () => {
    const reason = new Error('stop');
    let rejectShared!: (e: unknown) => void;
    const shared = new Promise<string>((_resolve, reject) => {
      rejectShared = reject;
    });
    const error = await abortable(shared, AbortSignal.abort(reason)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect((error as Error).cause).toBe(reason);
    rejectShared(new Error('later')); // must not surface as an unhandled rejection
  });

  it('passes the result through without a signal', async () => {
    await expect(abortable(Promise.resolve(1), undefined)).resolves.toBe(1);
  });
});

describe('redactSecrets', () => {
  it('leaves ordinary words after Bearer or Basic alone', () => {
    for (const text of [
      'This application is limited to basic functionality.',
      'Basic Auth failed; Bearer token expired; basic sandbox account',
    ]) {
      expect(redactSecrets(text, [])).toBe(text);
    }
  });

  it('redacts literal secrets case-sensitively, and token-shaped values after a scheme', () => {
    expect(redactSecrets('Key KeyValue1 and keyvalue1', ['KeyValue1'])).toBe(
      'Key [REDACTED] and keyvalue1',
    );
    expect(redactSecrets('got bearer eyJhbGciOi.x_y-Z and Basic dXNlcjpwYXNz', [])).toBe(
      'got bearer [REDACTED] and Basic [REDACTED]',
    );
  });

  it('removes Authorization values and literal secrets, but not too-short fragments', () => {
    const text = 'key abcdef used, Bearer tok.123 and basic QWxhZGRpbjpvcGVu; k';
    expect(redactSecrets(text, ['abcdef', 'k'])).toBe(
      'key [REDACTED] used, Bearer [REDACTED] and basic [REDACTED]; k',
    );
  });
});

describe('dwolla.fetch on an injected transport', () => {
  // The public client validates URLs and headers before they reach the pipeline, so an
  // invalid request only gets here when dwolla.fetch is called directly: it is refused, and
  // nothing is sent.
  const sent: unknown[] = [];
  const dwolla = createDwollaClient({
    key: 'x',
    secret: 'y',
    baseUrl: 'https://api.example',
    fetch: async (...args: Parameters<typeof fetch>) => {
      sent.push(args);
      if (String(args[0]).endsWith('/token')) {
        return Response.json({ access_token: 't', token_type: 'bearer', expires_in: 60 });
      }
      return new Response('{}');
    },
  });

  it('takes a URL string with plain-object headers, and adds the API headers', async () => {
    await dwolla.fetch('https://api.example/customers', { headers: { 'X-Trace': '7' } });
    const [, [url, init]] = sent.splice(0) as [unknown, [string, RequestInit]];
    expect(url).toBe('https://api.example/customers');
    const headers = new Headers(init.headers);
    expect(headers.get('x-trace')).toBe('7');
    expect(headers.get('authorization')).toBe('Bearer t');
  });

  it('refuses a URL it cannot parse', async () => {
    await expect(dwolla.fetch('not a url')).rejects.toBeInstanceOf(DwollaRequestRefusedError);
  });

  it('refuses a Request with headers it cannot carry', async () => {
    const request = new Request('https://api.example/customers');
    await expect(dwolla.fetch(request, { headers: { 'bad header': 'x' } })).rejects.toBeInstanceOf(
      DwollaRequestRefusedError,
    );
    expect(sent).toEqual([]);
  });
});
