// Redirects are never followed: credentials stay on the API origin and the 3xx is surfaced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaApiError, DwollaError } from '../../src/index.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ok, startScriptedDwolla, type ScriptedDwolla } from './scripted-dwolla.js';

let fake: ScriptedDwolla;
let foreign: RecordingServer;
beforeEach(async () => {
  fake = await startScriptedDwolla();
  foreign = await startRecordingServer((_r, res) => res.writeHead(200).end('{"stolen":true}'));
});
afterEach(async () => {
  await fake.close();
  await foreign.close();
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to a foreign origin is surfaced, not followed; nothing reaches it',
    async (code) => {
      fake.script((_n, _r, res) => res.writeHead(code, { Location: foreign.url('/steal') }).end());
      const error = await fake
        .client()
        .post('/transfers', { a: 1 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaApiError);
      expect(error).toMatchObject({ status: code });
      expect((error as DwollaApiError).response?.headers.get('Location')).toBe(
        foreign.url('/steal'),
      );
      expect(foreign.requests).toEqual([]);
      expect(fake.apiRequests()).toHaveLength(1);
    },
  );

  it('a same-origin redirect is not followed either (the bearer token is sent once)', async () => {
    fake.script((n, _r, res) =>
      n === 0 ? res.writeHead(302, { Location: fake.server.url('/elsewhere') }).end() : ok(res),
    );
    const error = await fake
      .client()
      .get('/customers')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DwollaApiError', status: 302 });
    expect(fake.apiRequests().map((r) => r.path)).toEqual(['/customers']);
  });

  it("drops the response of a transport that follows redirects despite redirect: 'manual'", async () => {
    fake.script((_n, _r, res) => res.writeHead(302, { Location: foreign.url('/steal') }).end());
    const following: typeof fetch = (input, init) => fetch(input, { ...init, redirect: 'follow' });
    const error = await fake
      .client({ fetch: following })
      .get('/customers')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect((error as Error).message).toMatch(/followed a redirect.*dropped/);
    // What such a transport does is beyond the client's control; its data never reaches the caller.
    expect(JSON.stringify(error)).not.toContain('stolen');
  });
});
