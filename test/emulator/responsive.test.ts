// The emulator stays responsive while any single request is handled: a `GET /` answers quickly
// while pathological bodies (1 MiB of distinct members, deep nesting, a huge token form) are
// parsed and validated, and while a cold emulator handles the first request of each kind (its
// validators not compiled yet).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, bank, basic, emulator, getToken, HAL, KEY, person, SECRET } from './helpers.js';
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
  const { slowest, value } = await whilePolling(emu, async () => {
    const response = await send();
    return { status: response.status, text: await response.text() };
  });
  return { slowest, ...value };
}

/** Does `work` while `GET /` is asked back to back: the slowest GET's time, and what it did. */
async function whilePolling<T>(
  emu: { url: string },
  work: () => Promise<T>,
): Promise<{ slowest: number; value: T }> {
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
  const value = await work();
  await new Promise((r) => setTimeout(r, 20));
  done = true;
  await probes;
  return { slowest, value };
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
  it('answers as usual, with validators compiled on the main thread, when the body thread dies', async () => {
    // A spec no emulator of this process has had validators made for (they are shared).
    const spec = {
      ...fixtureSpec(),
      info: { title: `thread dies ${Math.random()}`, version: '1' },
    };
    // Too little memory for the thread to start: every job it is given fails.
    const starved = await emulator({
      spec,
      bodyThread: { resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } },
    });
    const healthy = await emulator({ spec });
    const jane = { firstName: 'Jane', lastName: 'Doe', email: 'j@d.com' };
    const answers = async (emu: Emulator) => {
      const token = await getToken(emu.url);
      const out: unknown[] = [];
      for (const body of [{ x: 1 }, { firstName: 7, email: 'no' }, jane]) {
        const response = await api(emu.url, token, '/customers', { body });
        out.push([response.status, response.status === 400 ? await response.json() : null]);
      }
      const list = await api(emu.url, token, '/customers?limit=x');
      out.push([list.status, await list.json()]);
      return out;
    };
    const compiledHere = await answers(starved);
    expect(compiledHere.map((a) => (a as unknown[])[0])).toEqual([400, 400, 201, 400]);
    expect(await answers(healthy)).toEqual(compiledHere);
    // The thread is indeed dead: a body it would check gets 413.
    const token = await getToken(starved.url);
    const large = await api(starved.url, token, '/customers', { body: manyMembers() });
    expect(large.status).toBe(413);
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
      let n = 1; // each try a new customer (Dwolla refuses a second one with the same email)
      const seen = await probeWhile(emu, () => {
        const body = manyMembers(person(n++));
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

    it('answers GET / quickly while a cold emulator handles the first request of each kind', async () => {
      // Each try on a fresh emulator, whose validators are all still to compile. (The probe, a
      // GET / without a token, compiles none: it measures how long the event loop is held.)
      let best = await coldTry();
      for (let i = 1; i < 3 && best.slowest >= MAX_PROBE_MS; i++) {
        const next = await coldTry();
        if (next.slowest < best.slowest) best = next;
      }
      console.info(`cold emulator's first requests: slowest GET / ${best.slowest.toFixed(0)} ms`);
      expect(best.value).toEqual({
        createCustomer: 201,
        invalidCustomer: 'ValidationError',
        listCustomers: 1,
        getCustomer: 'Ann2',
        addFundingSource: 201,
        initiateTransfer: 201,
        invalidTransfer: 'ValidationError',
        unknownTransfer: 404,
      });
      expect(best.slowest).toBeLessThan(MAX_PROBE_MS);
      // Up to three processes started cold, each compiling as it answers: over a minute under load.
    }, 180_000);
  },
);

/**
 * A fresh emulator on Dwolla's spec, in a process of its own (`npm run emulator`'s CLI), as
 * cold as when it is started for a test run: the first request of several kinds (bodies valid
 * and invalid, path and query parameters, creations whose stored bodies are fitted to the
 * spec) while `GET /` is polled.
 */
async function coldTry() {
  const args = ['--import', 'tsx', 'src/emulator/cli.ts', '--spec', UPSTREAM_SPEC];
  const child = spawn(process.execPath, [...args, '--key', KEY, '--secret', SECRET], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let stdout = '';
    for await (const chunk of child.stdout) {
      stdout += String(chunk);
      if (/listening on \S+\n/.test(stdout)) break;
    }
    const emu = { url: /listening on (\S+)\n/.exec(stdout)![1]! };
    const token = await getToken(emu.url);
    return await whilePolling(emu, async () => {
      const call = (path: string, body?: unknown) => api(emu.url, token, path, { body });
      const code = async (r: Response) => ((await r.json()) as { code: string }).code;
      const created = await call('/customers', person(2));
      const customer = created.headers.get('location')!;
      const invalidCustomer = await code(await call('/customers', { x: 1 }));
      const list = await call('/customers?limit=5&offset=0&search=ann2');
      const listCustomers = ((await list.json()) as { total: number }).total;
      const read = await call(new URL(customer).pathname);
      const getCustomer = ((await read.json()) as { firstName: string }).firstName;
      const funded = await call(`${new URL(customer).pathname}/funding-sources`, bank('Ann2'));
      const destination = funded.headers.get('location')!;
      // The sandbox account's balance pays (a customer's bank must be verified first).
      const root = (await (await call('/')).json()) as { _links: { account: { href: string } } };
      const sources = await call(`${new URL(root._links.account.href).pathname}/funding-sources`);
      const { _embedded } = (await sources.json()) as {
        _embedded: { 'funding-sources': { type: string; _links: { self: { href: string } } }[] };
      };
      const source = _embedded['funding-sources'].find((fs) => fs.type === 'balance')!._links.self;
      const transfer = await call('/transfers', {
        _links: { source, destination: { href: destination } },
        amount: { currency: 'USD', value: '1.00' },
      });
      const invalidTransfer = await code(await call('/transfers', { amount: 1 }));
      const unknown = await call('/transfers/8f5f4e36-0e0f-4c4c-9a5c-6f6c3b0f3c1d');
      return {
        createCustomer: created.status,
        invalidCustomer,
        listCustomers,
        getCustomer,
        addFundingSource: funded.status,
        initiateTransfer: transfer.status,
        invalidTransfer,
        unknownTransfer: unknown.status,
      };
    });
  } finally {
    child.kill('SIGKILL');
  }
}
