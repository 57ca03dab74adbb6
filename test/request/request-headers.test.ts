// The caller's headers as the pipeline carries them (a plain record, not WHATWG Headers):
// checked and normalized exactly as `Headers` does. The oracle is Node's own `Headers`, which
// shares no code with the pipeline's record.
import { describe, expect, it } from 'vitest';
import { DwollaRequestRefusedError } from '../../src/index.js';
import { ok, eachScriptedDwolla, type ScriptedDwolla } from './scripted-dwolla.js';

const CASES: HeadersInit[] = [
  { 'X-Trace': '7' },
  { 'x-padded': ' \t spaced value \t ' },
  [
    ['X-Multi', 'one'],
    ['x-multi', 'two'],
  ],
  new Headers({ 'X-From-Headers': 'yes', 'X-Other': 'b' }),
  { 'X-Latin1': 'caf\u00e9' },
  { 'Bad Header': 'x' },
  { 'x-crlf': 'a\r\nInjected: 1' },
  { 'x-nul': 'a\0b' },
  { 'x-wide': 'snow \u2603' },
  { '': 'empty name' },
  [['x-pair-of-three', 'a', 'b']] as unknown as HeadersInit,
  [['constructor', 'c']],
];

/** What Headers makes of `init`: its entries, or undefined when it refuses them. */
function oracle(init: HeadersInit): Array<[string, string]> | undefined {
  try {
    return [...new Headers(init)];
  } catch {
    return undefined;
  }
}

describe('request headers', () => {
  let fake!: ScriptedDwolla;
  eachScriptedDwolla((f) => {
    fake = f;
    fake.script((_n, _r, res) => ok(res));
  });

  it('sends what Headers accepts, as Headers normalizes it, and refuses the rest unsent', async () => {
    const dwolla = fake.client();
    for (const init of CASES) {
      const expected = oracle(init);
      const before = fake.apiRequests().length;
      const sent = dwolla.get('/x', { headers: init });
      if (expected === undefined) {
        await expect(sent, JSON.stringify(init)).rejects.toBeInstanceOf(DwollaRequestRefusedError);
        expect(fake.apiRequests()).toHaveLength(before);
        continue;
      }
      await sent;
      const received = fake.apiRequests().at(-1)!.headers;
      for (const [name, value] of expected) {
        // Node's server reads header bytes as latin1, as they were sent.
        expect(received[name], name).toBe(value);
      }
    }
  });

  it('refuses an Idempotency-Key that is not a header value, unsent', async () => {
    const error = await fake
      .client()
      .post('/transfers', { a: 1 }, { idempotencyKey: 'k\r\nX-Injected: 1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaRequestRefusedError);
    expect(fake.apiRequests()).toHaveLength(0);
  });

  it('the client sets Authorization, Accept and User-Agent over any the caller gave', async () => {
    await fake.client().get('/x', {
      headers: { authorization: 'Bearer mine', ACCEPT: 'text/plain', 'X-Keep': 'kept' },
    });
    const received = fake.apiRequests()[0]!.headers;
    expect(received.authorization).toMatch(/^Bearer (?!mine)/);
    expect(received.accept).toBe('application/vnd.dwolla.v1.hal+json');
    expect(received['user-agent']).toMatch(/^dwolla-openapi-client\//);
    expect(received['x-keep']).toBe('kept');
  });
});

describe('header names that are object machinery', () => {
  let fake!: ScriptedDwolla;
  eachScriptedDwolla((f) => {
    fake = f;
    fake.script((_n, _r, res) => ok(res));
  });

  it('sends __proto__ and constructor as the headers they are', async () => {
    await fake.client().get('/x', {
      headers: [
        ['__proto__', 'p'],
        ['Constructor', 'c'],
      ],
    });
    await fake.client().post('/y', { a: 1 }, { headers: [['__proto__', 'q']] });
    const [get, post] = fake.apiRequests();
    const pairs = (raw: string[]) =>
      raw.flatMap((name, i) => (i % 2 === 0 ? [[name.toLowerCase(), raw[i + 1]]] : []));
    expect(pairs(get!.rawHeaders)).toEqual(
      expect.arrayContaining([
        ['__proto__', 'p'],
        ['constructor', 'c'],
      ]),
    );
    expect(pairs(post!.rawHeaders)).toEqual(expect.arrayContaining([['__proto__', 'q']]));
  });
});
