// Unit checks for small helpers whose edge cases the wire tests cannot reach.
import { describe, expect, it } from 'vitest';
import { abortable } from '../../src/auth/abortable.js';
import { createAuthFetch } from '../../src/auth/auth-fetch.js';
import { createTokenCache } from '../../src/auth/token-cache.js';
import { redactSecrets } from '../../src/auth/redact.js';
import { DwollaError, DwollaRequestRefusedError } from '../../src/index.js';

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
  it('removes Authorization values and literal secrets, but not too-short fragments', () => {
    const text = 'key abcdef used, Bearer tok.123 and basic QWxhZGRpbjpvcGVu; k';
    expect(redactSecrets(text, ['abcdef', 'k'])).toBe(
      'key [REDACTED] used, Bearer [REDACTED] and basic [REDACTED]; k',
    );
  });
});

describe('createAuthFetch', () => {
  // The public client validates URLs and headers before they reach the auth layer, so an
  // invalid request only gets here when called directly: it is refused, and nothing is sent.
  const sent: unknown[] = [];
  const authFetch = createAuthFetch({
    fetch: async (...args) => {
      sent.push(args);
      return new Response('{}');
    },
    apiOrigin: 'https://api.example',
    tokenUrl: new URL('https://api.example/token'),
    basicAuthorization: 'Basic eDp5',
    tokens: createTokenCache({
      fetchToken: async () => ({ accessToken: 't', expiresIn: 60 }),
      now: () => 0,
    }),
  });

  it('takes a URL string with plain-object headers, and adds the API headers', async () => {
    await authFetch('https://api.example/customers', { headers: { 'X-Trace': '7' } });
    const [[url, init]] = sent.splice(0) as [[string, RequestInit]];
    expect(url).toBe('https://api.example/customers');
    const headers = init.headers as Headers;
    expect(headers.get('x-trace')).toBe('7');
    expect(headers.get('authorization')).toBe('Bearer t');
  });

  it('refuses a URL it cannot parse', async () => {
    await expect(authFetch('not a url')).rejects.toBeInstanceOf(DwollaRequestRefusedError);
  });

  it('refuses a Request with headers it cannot carry', async () => {
    const request = new Request('https://api.example/customers');
    await expect(authFetch(request, { headers: { 'bad header': 'x' } })).rejects.toBeInstanceOf(
      DwollaRequestRefusedError,
    );
    expect(sent).toEqual([]);
  });
});
