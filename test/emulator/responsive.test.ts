// The emulator stays responsive while any single request is handled: a `GET /` answers quickly
// while pathological bodies (1 MiB of distinct members, deep nesting, a huge token form) are
// parsed and validated.
import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, basic, emulator, getToken, HAL, KEY, person, SECRET } from './helpers.js';
import type { Emulator } from '../../src/emulator/index.js';

/** Generous for a loaded 2-core machine (measured 20-170 ms); parsing and validating these bodies
 * on the main thread blocked it 260-710 ms, and the token form's log redaction 240 ms. */
const MAX_PROBE_MS = 200;
const MiB = 1024 * 1024;

/** An object of as many fresh members (names never seen by this process) as fit in 1 MiB. */
function manyMembers(base: object = {}): string {
  const tag = Math.random().toString(36).slice(2, 8);
  const members: string[] = [JSON.stringify(base).slice(1, -1)].filter(Boolean);
  let size = 2 + members.join(',').length;
  for (let i = 0; size < MiB - 64; i++) {
    const member = `"${tag}${i}":${i}`;
    members.push(member);
    size += member.length + 1;
  }
  return `{${members.join(',')}}`;
}

const nestedArrays = (field?: string) => {
  const depth = Math.floor((MiB - 64) / 2);
  const arrays = '['.repeat(depth) + ']'.repeat(depth);
  return field ? `{"${field}":${arrays}}` : arrays;
};

/**
 * Sends the request `prepare()` makes (its body built first) while `GET /` is asked back to
 * back: the slowest GET's time, and the answer. The machine is shared, so a scheduler stall can
 * slow any one GET: up to 3 tries (each with a fresh body), the best kept. A blocked event loop
 * slows every try.
 */
async function probeWhile(
  emu: Emulator,
  prepare: () => () => Promise<Response>,
): Promise<{ slowest: number; status: number; text: string }> {
  let best = await probeOnce(emu, prepare());
  for (let i = 1; i < 3 && best.slowest >= MAX_PROBE_MS; i++) {
    const next = await probeOnce(emu, prepare());
    if (next.slowest < best.slowest) best = next;
  }
  return best;
}

async function probeOnce(
  emu: Emulator,
  send: () => Promise<Response>,
): Promise<{ slowest: number; status: number; text: string }> {
  let done = false;
  let slowest = 0;
  const probes = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${emu.url}/`, { headers: { accept: HAL } });
      await response.text();
      slowest = Math.max(slowest, performance.now() - started);
    }
  })();
  await new Promise((r) => setTimeout(r, 20));
  const response = await send();
  const text = await response.text();
  await new Promise((r) => setTimeout(r, 20));
  done = true;
  await probes;
  return { slowest, status: response.status, text };
}

describe('responsive under any single request', () => {
  it('answers GET / quickly while 1 MiB pathological bodies are checked (fixture spec)', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    const token = await getToken(emu.url);
    // Validators compile on first use: warm them, so that only the body's own cost is measured.
    expect((await api(emu.url, token, '/customers', { body: { x: 1 } })).status).toBe(400);
    const bodies = {
      members: () => manyMembers(),
      nested: () => nestedArrays(),
      nestedInField: () => nestedArrays('firstName'),
    };
    for (const [shape, make] of Object.entries(bodies)) {
      expect(make().length).toBeLessThanOrEqual(MiB);
      const seen = await probeWhile(emu, () => {
        const body = make();
        return () => api(emu.url, token, '/customers', { body });
      });
      console.info(`${shape}: slowest GET / ${seen.slowest.toFixed(0)} ms`);
      expect(seen.status, shape).toBe(400);
      const answer = JSON.parse(seen.text) as { code: string; _embedded: { errors: unknown[] } };
      expect(answer.code).toBe('ValidationError');
      expect(answer._embedded.errors.length).toBeGreaterThan(0);
      expect(seen.text.length).toBeLessThan(2000);
      expect(seen.slowest, shape).toBeLessThan(MAX_PROBE_MS);
    }
  });

  it('answers GET / quickly while a token request with 30,000 form fields is logged', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    const form = 'grant_type=client_credentials&' + Array(30_000).fill('client_secret=x').join('&');
    const seen = await probeWhile(
      emu,
      () => () =>
        fetch(`${emu.url}/token`, {
          method: 'POST',
          headers: {
            authorization: basic(KEY, SECRET),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: form,
        }),
    );
    console.info(`token form: slowest GET / ${seen.slowest.toFixed(0)} ms`);
    expect(seen.status).toBe(200);
    expect(seen.slowest).toBeLessThan(MAX_PROBE_MS);
    const logged = emu.requests().find((r) => r.path === '/token')!;
    expect(logged.body.length).toBeLessThan(5000);
    expect(logged.body).not.toMatch(/client_secret=x/);
  });

  it('answers a body that takes too long to check with 413, and keeps serving', async () => {
    const emu = await emulator({ spec: fixtureSpec(), bodyThread: { timeoutMs: 1 } });
    const token = await getToken(emu.url);
    const response = await api(emu.url, token, '/customers', { body: manyMembers() });
    expect(response.status).toBe(413);
    const answer = (await response.json()) as { code: string; message: string };
    expect(answer).toMatchObject({ code: 'RequestTooLarge' });
    expect(answer.message).toMatch(/took over 1 ms/);
    const small = { firstName: 'Jane', lastName: 'Doe', email: 'j@d.com' };
    expect((await api(emu.url, token, '/customers', { body: small })).status).toBe(201);
  });
});

describe.skipIf(!HAS_UPSTREAM_SPEC)(
  "responsive under any single request, on Dwolla's full spec",
  () => {
    it('answers GET / quickly while a valid 1 MiB customer of unknown members is created', async () => {
      const emu = await emulator({ spec: UPSTREAM_SPEC });
      const token = await getToken(emu.url);
      // Warm the validators (the body's and the stored customer's) with small requests.
      expect((await api(emu.url, token, '/customers', { body: person(0) })).status).toBe(201);
      expect((await api(emu.url, token, '/customers', { body: { x: 1 } })).status).toBe(400);
      const seen = await probeWhile(emu, () => {
        const body = manyMembers(person(1));
        return () => api(emu.url, token, '/customers', { body });
      });
      console.info(
        `valid customer of unknown members: slowest GET / ${seen.slowest.toFixed(0)} ms`,
      );
      expect(seen.status).toBe(201);
      expect(seen.slowest).toBeLessThan(MAX_PROBE_MS);
      const list = (await (await api(emu.url, token, '/customers?search=Ann1')).json()) as {
        _embedded: { customers: Record<string, unknown>[] };
      };
      expect(list._embedded.customers[0]).toMatchObject({ firstName: 'Ann1', lastName: 'Lee' });
      expect(Object.keys(list._embedded.customers[0]!).length).toBeLessThan(30);
    });
  },
);
