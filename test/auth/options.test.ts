// Behaviour 9: options are checked at construction with a TypeError naming the option.
import { describe, expect, it } from 'vitest';
import { createDwollaClient, type DwollaClientOptions } from '../../src/index.js';

const base = { key: 'k', secret: 's', baseUrl: 'http://127.0.0.1:4010' };

describe('option checks (behaviour 9)', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['missing options', undefined, /options must be an object/],
    ['missing key', { ...base, key: undefined }, /options\.key/],
    ['empty key', { ...base, key: '' }, /options\.key/],
    ['non-string key', { ...base, key: 42 }, /options\.key/],
    ['empty secret', { ...base, secret: '' }, /options\.secret/],
    ['missing secret', { key: 'k', baseUrl: base.baseUrl }, /options\.secret/],
    ['lone surrogate in secret', { ...base, secret: 'a\uD800b' }, /options\.secret/],
    [
      'neither environment nor baseUrl',
      { key: 'k', secret: 's' },
      /options\.environment or options\.baseUrl/,
    ],
    [
      'both environment and baseUrl',
      { ...base, environment: 'sandbox' },
      /options\.environment or options\.baseUrl/,
    ],
    [
      'unknown environment',
      { key: 'k', secret: 's', environment: 'staging' },
      /options\.environment must be 'sandbox' or 'production'/,
    ],
    ['malformed baseUrl', { ...base, baseUrl: 'not a url' }, /options\.baseUrl/],
    ['non-string baseUrl', { ...base, baseUrl: 7 }, /options\.baseUrl/],
    [
      'http baseUrl on a public host',
      { ...base, baseUrl: 'http://api.dwolla.com' },
      /options\.baseUrl/,
    ],
    ['ftp baseUrl', { ...base, baseUrl: 'ftp://127.0.0.1' }, /options\.baseUrl/],
    [
      'baseUrl with credentials',
      { ...base, baseUrl: 'https://u:p@api.dwolla.com' },
      /options\.baseUrl/,
    ],
    [
      'baseUrl with a fragment',
      { ...base, baseUrl: 'https://api.dwolla.com/#x' },
      /options\.baseUrl/,
    ],
    [
      'baseUrl with a query',
      { ...base, baseUrl: 'https://api.dwolla.com/?x=1' },
      /options\.baseUrl/,
    ],
    ['malformed tokenUrl', { ...base, tokenUrl: 'http//x' }, /options\.tokenUrl/],
    [
      'http tokenUrl on a public host',
      { ...base, tokenUrl: 'http://evil.example/token' },
      /options\.tokenUrl/,
    ],
    ['non-function fetch', { ...base, fetch: 'fetch' }, /options\.fetch/],
    ['zero tokenTimeoutMs', { ...base, tokenTimeoutMs: 0 }, /options\.tokenTimeoutMs/],
    ['infinite tokenTimeoutMs', { ...base, tokenTimeoutMs: Infinity }, /options\.tokenTimeoutMs/],
    ['string tokenTimeoutMs', { ...base, tokenTimeoutMs: '10' }, /options\.tokenTimeoutMs/],
    [
      'the old timeoutMs',
      { ...base, timeoutMs: 500 },
      /options\.timeoutMs was renamed tokenTimeoutMs/,
    ],
    [
      'the old requestTimeoutMs',
      { ...base, requestTimeoutMs: 500 },
      /options\.requestTimeoutMs was renamed attemptTimeoutMs/,
    ],
    [
      'a testing hook (clock)',
      { ...base, clock: () => 0 },
      /options\.clock is no longer an option/,
    ],
    ['a testing hook (sleep)', { ...base, sleep: async () => {} }, /options\.sleep is no longer/],
    ['a testing hook (random)', { ...base, random: () => 0 }, /options\.random is no longer/],
    ['fetch and transport', { ...base, fetch, transport: { send: fetch } }, /options\.fetch and/],
    ['a transport without send', { ...base, transport: {} }, /options\.transport must be/],
  ];

  it.each(invalid)('%s → TypeError naming the option', (_name, options, message) => {
    expect(() => createDwollaClient(options as DwollaClientOptions)).toThrow(TypeError);
    expect(() => createDwollaClient(options as DwollaClientOptions)).toThrow(message);
  });

  it('never echoes option values in the message', () => {
    expect(() =>
      createDwollaClient({
        key: 'k',
        secret: 'super-secret-value',
        environment: 'super-secret-value' as 'sandbox',
      }),
    ).toThrow(/^((?!super-secret-value).)*$/);
  });

  it.each([
    ['sandbox', { key: 'k', secret: 's', environment: 'sandbox' }],
    ['production', { key: 'k', secret: 's', environment: 'production' }],
    ['https baseUrl with trailing slash', { ...base, baseUrl: 'https://api.example.com/' }],
    ['localhost over http', { ...base, baseUrl: 'http://localhost:4010' }],
    [
      'IPv6 loopback over http',
      { ...base, baseUrl: 'http://[::1]:4010', tokenUrl: 'http://127.0.0.5/oauth/token' },
    ],
    [
      'every time limit and a fetch',
      { ...base, tokenTimeoutMs: 200, attemptTimeoutMs: 300, callTimeoutMs: 900, fetch },
    ],
  ])('accepts %s', (_name, options) => {
    expect(() => createDwollaClient(options as DwollaClientOptions)).not.toThrow();
  });

  it('configures the generated client with the normalized base URL', () => {
    const dwolla = createDwollaClient({ ...base, baseUrl: 'https://api.example.com/' });
    expect(dwolla.client.getConfig().baseUrl).toBe('https://api.example.com');
    expect(
      createDwollaClient({ key: 'k', secret: 's', environment: 'sandbox' }).client.getConfig()
        .baseUrl,
    ).toBe('https://api-sandbox.dwolla.com');
  });
});
