// Bounded under load (issue 20, item 8): webhook deliveries in flight, issued tokens, delivery
// attempts, a body check that times out, and a stateful request's reply, each through the
// emulator's public entry points with real receivers on 127.0.0.1.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, emulator, getToken, HAL, person } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Counts each call of the sandbox backend's create(): the reply of a creating request.
const creates = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/emulator/sandbox/backend.js', async (original) => {
  const real = await original<typeof import('../../src/emulator/sandbox/backend.js')>();
  return {
    ...real,
    createBackend: (...args: Parameters<typeof real.createBackend>) => {
      const backend = real.createBackend(...args);
      return {
        ...backend,
        create: (...created: Parameters<typeof backend.create>) => {
          creates.count++;
          return backend.create(...created);
        },
      };
    },
  };
});

const receivers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of receivers.splice(0)) {
    server.close();
    server.closeAllConnections();
  }
});

/** A webhook receiver that answers each delivery after `delay` (ms, or a promise) with
 * `status`, counting the requests it holds at once and the connections open to it. */
async function receiver(
  delay: number | ((n: number) => Promise<unknown>) = 0,
  status = (_n: number) => 200,
) {
  const seen = { received: 0, holding: 0, mostHeld: 0, open: 0, mostOpen: 0 };
  const server = createServer((req, res: ServerResponse) => {
    seen.holding++;
    seen.mostHeld = Math.max(seen.mostHeld, seen.holding);
    req.resume();
    req.on('end', () => {
      const n = ++seen.received;
      const waited =
        typeof delay === 'number' ? new Promise((done) => setTimeout(done, delay)) : delay(n);
      void waited.then(() => {
        seen.holding--;
        res.statusCode = status(n);
        res.end();
      });
    });
  });
  server.on('connection', (socket) => {
    seen.open++;
    seen.mostOpen = Math.max(seen.mostOpen, seen.open);
    socket.on('close', () => seen.open--);
  });
  receivers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe.skipIf(!HAS_UPSTREAM_SPEC)("bounded under load, on Dwolla's full spec", () => {
  let emu: Emulator;
  let token: string;
  const start = async (options: Partial<EmulatorOptions> = {}) => {
    emu = await emulator({ spec: UPSTREAM_SPEC, ...options });
    token = await getToken(emu.url);
  };
  const call = async (path: string, init: Parameters<typeof api>[3] = {}) => {
    const response = await api(emu.url, token, path.replace(emu.url, ''), init);
    const text = await response.text();
    return { response, status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  const subscribe = async (url: string) => {
    const { status, response } = await call('/webhook-subscriptions', {
      body: { url, secret: 'load secret' },
    });
    expect(status).toBe(201);
    return response.headers.get('location')!;
  };

  it('holds at most 10 webhook deliveries in flight (Dwolla bursts up to 10); GET / keeps answering', async () => {
    await start({ stateLimits: { deliveries: 2_000 } });
    // A receiver that takes its time: unbounded, every delivery of the burst would be in flight.
    const hook = await receiver(50);
    // Dwolla allows 10 subscriptions (the emulator too): 10 x 100 creations = 1,000 deliveries.
    for (let i = 0; i < 10; i++) await subscribe(`${hook.url}/s${i}`);
    let slowest = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        const root = await api(emu.url, token, '/');
        expect(root.status).toBe(200);
        await root.text();
        slowest = Math.max(slowest, performance.now() - started);
        await new Promise((next) => setTimeout(next, 20));
      }
    })();
    // Two bursts of 50 creations (each creation a webhook to every subscription).
    for (const burst of ['a', 'b']) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => call('/customers', { body: person(`${burst}${i}`) })),
      );
    }
    await emu.webhooksSettled();
    polling = false;
    await poll;
    console.info(
      `10 subscriptions x 100 creations: ${hook.seen.received} deliveries, at most ${hook.seen.mostHeld} in flight, ${hook.seen.mostOpen} connections open; slowest GET / ${slowest.toFixed(0)} ms`,
    );
    expect(hook.seen.received).toBe(1_000);
    expect(hook.seen.mostHeld).toBeLessThanOrEqual(10);
    // Sockets follow: more than 10 only while closed ones finish closing (unbounded, there were
    // as many as deliveries). 20 seen on a loaded machine: a generous margin.
    expect(hook.seen.mostOpen).toBeLessThanOrEqual(40);
    expect(slowest).toBeLessThan(5_000);
  });

  it('keeps at most stateLimits.deliveries deliveries waiting: the oldest are abandoned', async () => {
    await start({ stateLimits: { deliveries: 30 }, webhooks: { maxConcurrent: 1 } });
    const hook = await receiver(20);
    const subscription = await subscribe(`${hook.url}/few`);
    for (let i = 0; i < 60; i++) await call('/customers', { body: person(`drop${i}`) });
    await emu.webhooksSettled();
    // 60 webhooks made, one at a time sent: the 30 kept (with perhaps one already under way).
    expect(hook.seen.received).toBeGreaterThanOrEqual(30);
    expect(hook.seen.received).toBeLessThan(60);
    const listed = (await call(`${subscription}/webhooks?limit=200`)).body;
    expect(listed.total).toBe(30);
  });

  it('a paused subscription gets nothing: no new deliveries, no retries of one under way', async () => {
    // Dwolla's first retry comes 15 min after the first attempt: here 150 ms.
    await start({ webhooks: { compressRetries: 6_000 } });
    // The first attempt is held until the subscription is paused, then fails.
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const hook = await receiver(
      (n) => (n === 1 ? held : Promise.resolve()),
      () => 500,
    );
    const subscription = await subscribe(`${hook.url}/paused`);
    await call('/customers', { body: person('before pause') });
    while (hook.seen.received < 1) await new Promise((next) => setTimeout(next, 10));
    const paused = await call(subscription, { body: { paused: true } });
    expect(paused.status).toBe(200);
    expect(paused.body.paused).toBe(true);
    release();
    await call('/customers', { body: person('while paused') });
    await emu.webhooksSettled();
    await new Promise((done) => setTimeout(done, 400)); // past the first retry's time
    expect(hook.seen.received).toBe(1);
    // Its webhooks are kept, the new one with no attempt, as Dwolla lists them while paused.
    const webhooks = (await call(`${subscription}/webhooks`)).body._embedded.webhooks as Json[];
    expect(webhooks.map((w) => w.attempts.length)).toEqual([0, 1]);
    // Unpaused: not retried by itself; POST /webhooks/{id}/retries sends one.
    await call(subscription, { body: { paused: false } });
    await new Promise((done) => setTimeout(done, 400));
    expect(hook.seen.received).toBe(1);
    const retried = await call(`${webhooks[0]!._links.self.href}/retries`, { method: 'POST' });
    expect(retried.status).toBe(201);
    while (hook.seen.received < 2) await new Promise((next) => setTimeout(next, 10));
    expect(hook.seen.received).toBe(2);
  });

  it('keeps at most stateLimits.attempts delivery attempts, the newest', async () => {
    await start({
      stateLimits: { attempts: 3 },
      webhooks: { retries: 4, compressRetries: 3_600_000 }, // Dwolla's 72 h in 72 ms
    });
    const hook = await receiver(0, () => 503);
    const subscription = await subscribe(`${hook.url}/failing`);
    await call('/customers', { body: person('attempts') });
    await emu.webhooksSettled();
    expect(hook.seen.received).toBe(5); // the first attempt and 4 retries
    const [webhook] = (await call(`${subscription}/webhooks`)).body._embedded.webhooks as Json[];
    expect(webhook!.attempts).toHaveLength(3);
    const times = (webhook!.attempts as Json[]).map((a) => a.request.timestamp as string);
    expect([...times].sort().reverse()).toEqual(times); // newest first
  });

  it('a stateful request runs its reply once', async () => {
    await start();
    // Warm: the validators the reply uses are compiled by the first creation.
    await call('/customers', { body: person('warm') });
    creates.count = 0;
    for (let i = 0; i < 3; i++) {
      expect((await call('/customers', { body: person(`once${i}`) })).status).toBe(201);
    }
    expect(creates.count).toBe(3);
    expect((await call('/customers?limit=200')).body.total).toBe(4);
    const events = (await call('/events?limit=200')).body._embedded.events as Json[];
    expect(events.filter((e) => e.topic === 'customer_created')).toHaveLength(4);
  });
});

describe('bounded under load', () => {
  it('forgets the oldest issued token past stateLimits.tokens', async () => {
    const emu = await emulator({ spec: fixtureSpec(), stateLimits: { tokens: 3 } });
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push(await getToken(emu.url));
    const statuses = [];
    for (const token of tokens) {
      const response = await api(emu.url, token, '/customers');
      statuses.push(response.status);
      if (response.status === 401) {
        expect(await response.json()).toMatchObject({ code: 'InvalidAccessToken' });
      } else await response.text();
    }
    expect(statuses).toEqual([401, 200, 200, 200]);
  });

  it('a body check that times out fails that request alone, not those waiting behind it', async () => {
    // A pattern that backtracks for ages on a long run of `a` followed by `!`, on a body over
    // 32 KiB so that the body thread checks it.
    const spec = fixtureSpec() as Json;
    spec.paths['/checks'] = {
      post: {
        operationId: 'check',
        parameters: [{ $ref: '#/components/parameters/Accept' }],
        requestBody: {
          required: true,
          content: {
            [HAL]: {
              schema: {
                type: 'object',
                properties: { name: { type: 'string', pattern: '^(a+)+$' }, note: {} },
              },
            },
          },
        },
        responses: { '204': { description: 'checked' } },
      },
    };
    // The stuck check never ends (2^40 steps); those behind it run on a new thread, which loads
    // the spec and compiles its validator first: on a loaded machine with coverage that took over
    // 3 s, so a generous limit.
    const emu = await emulator({ spec, bodyThread: { timeoutMs: 10_000 } });
    const token = await getToken(emu.url);
    const note = 'n'.repeat(40 * 1024);
    const stuck = api(emu.url, token, '/checks', {
      body: { name: `${'a'.repeat(40)}!`, note },
    });
    // Sent while the thread is stuck on the first: they wait their turn behind it.
    await new Promise((done) => setTimeout(done, 200));
    const behind = [
      api(emu.url, token, '/checks', { body: { name: 'aaa', note } }),
      api(emu.url, token, '/checks', { body: { name: 'b', note } }),
    ];
    const first = await stuck;
    expect(first.status).toBe(413);
    expect(await first.json()).toMatchObject({ code: 'RequestTooLarge' });
    const [valid, invalid] = await Promise.all(behind);
    expect(valid!.status).toBe(204);
    expect(invalid!.status).toBe(400);
    expect(await invalid!.json()).toMatchObject({
      code: 'ValidationError',
      _embedded: { errors: [{ path: '/name' }] },
    });
  });
});
