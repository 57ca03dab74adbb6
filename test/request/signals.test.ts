// Time limits, the caller's signal and what they leave behind: every limit fits a timer, every
// wait and read ends when the caller's signal aborts, and nothing outlives a settled call (no
// timer keeping the process alive, no listener or AbortSignal.any dependant on the signal).
import { createServer, type Server } from 'node:http';
import { getEventListeners } from 'node:events';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDwollaClient,
  DwollaAbortError,
  DwollaTokenError,
  type DwollaClientOptions,
} from '../../src/index.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { runNode } from '../helpers/run-script.js';
import { createUndiciTransport } from '../../src/transport/index.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(() => fake.close());

const client = (options: Partial<DwollaClientOptions> = {}) =>
  createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, ...options });

/** Settles with the promise's outcome, or 'pending' after `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<'pending'>((done) => setTimeout(() => done('pending'), ms)),
  ]);

describe('time limits', () => {
  const base = { key: KEY, secret: SECRET, baseUrl: 'https://api.example' };
  it.each(['attemptTimeoutMs', 'callTimeoutMs', 'tokenTimeoutMs'])(
    '%s over what a timer holds (2^31 - 1 ms) is a TypeError naming it',
    (option) => {
      const make = (value: number) => createDwollaClient({ ...base, [option]: value });
      expect(() => make(MAX_TIMER_MS + 1)).toThrow(TypeError);
      expect(() => make(MAX_TIMER_MS + 1)).toThrow(`options.${option} must be at most`);
      expect(() => make(2 ** 40)).toThrow(`options.${option} `);
      expect(() => make(MAX_TIMER_MS)).not.toThrow();
    },
  );

  it("a token store's timeoutMs over what a timer holds is a TypeError", () => {
    const store = {
      get: async () => undefined,
      set: async () => {},
      tryLock: async () => true,
      compareAndDelete: async () => true,
      timeoutMs: MAX_TIMER_MS + 1,
    };
    expect(() => createDwollaClient({ ...base, tokenStore: store })).toThrow(
      'options.tokenStore timeoutMs must be at most',
    );
  });

  it("createUndiciTransport's connectTimeoutMs over what a timer holds is a TypeError", () => {
    expect(() => createUndiciTransport({ connectTimeoutMs: MAX_TIMER_MS + 1 })).toThrow(
      'options.connectTimeoutMs must be at most',
    );
  });
});

describe('token responses', () => {
  it('an endless token body stops at maxResponseBytes, long before the token deadline', async () => {
    let sent = 0;
    fake.tokenReplies.push((_request, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"access_token":"');
      pump();
    });
    const started = performance.now();
    const outcome = await within(
      client({ maxResponseBytes: 256 * 1024, tokenTimeoutMs: 20_000 }).getAccessToken(),
      15_000,
    );
    expect(outcome).not.toBe('pending');
    const { error } = outcome as { error: unknown };
    expect(error).toBeInstanceOf(DwollaTokenError);
    expect((error as Error).message).toMatch(/larger than 262144 bytes \(maxResponseBytes\)/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(fake.tokenRequests()).toHaveLength(1); // never retried
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("the caller's signal", () => {
  it('ends an upload whose stream stalls', async () => {
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 100);
    const outcome = await within(
      client().uploadDocument('/customers/c-1/documents', {
        file: stalled,
        filename: 'passport.png',
        documentType: 'passport',
        signal: controller.signal,
      }),
      5_000,
    );
    expect(outcome).not.toBe('pending');
    expect((outcome as { error: unknown }).error).toBeInstanceOf(DwollaAbortError);
    expect(fake.apiRequests()).toHaveLength(0);
  });

  it('keeps no listener or AbortSignal.any dependant per call on a long-lived signal', async () => {
    const signal = new AbortController().signal;
    const dwolla = client();
    for (let i = 0; i < 200; i++) await dwolla.get('/x', { signal });
    const dependants = Object.getOwnPropertySymbols(signal).find(
      (symbol) => symbol.description === 'kDependantSignals',
    );
    const held = dependants === undefined ? undefined : (signal as never)[dependants];
    expect((held as Set<unknown> | undefined)?.size ?? 0).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('a retry wait, when the call is aborted', () => {
  let server: Server;
  let origin: string;
  beforeEach(async () => {
    server = createServer((request, res) => {
      if (request.url === '/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 }));
      } else {
        res.writeHead(503, { 'Retry-After': '60', 'Content-Type': 'application/json' });
        res.end('{"code":"ServiceUnavailable","message":"busy"}');
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address() as { port: number };
    origin = `http://127.0.0.1:${address.port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('ends with it: the process exits once the call settled, not when the wait would have', async () => {
    const program = `
      import { createDwollaClient } from ${JSON.stringify(resolve('src/index.ts'))};
      const dwolla = createDwollaClient({ key: 'k', secret: 's', baseUrl: process.env.ORIGIN });
      const started = performance.now();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      await dwolla.get('/x', { signal: controller.signal }).catch((error) => console.log(error.name));
      console.log('settled', Math.round(performance.now() - started));
      process.on('exit', () => console.log('exit', Math.round(performance.now() - started)));
    `;
    const run = await runNode(['--import', 'tsx', '--input-type=module', '--eval', program], {
      ...process.env,
      ORIGIN: origin,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^DwollaAbortError\nsettled \d+\nexit \d+\n$/);
    const exitAt = Number(/exit (\d+)/.exec(run.stdout)![1]);
    // The 503 asked for 60 s (the longest wait honoured); a loaded machine takes seconds to start.
    expect(exitAt).toBeLessThan(30_000);
  });
});
