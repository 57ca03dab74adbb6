// Which adapter a client with no transport and no fetch option takes, seen from outside (.ci/run
// runs this file on Node 20, 22 and 24): Node's own built-in dispatcher while globalThis.fetch is
// Node's (the dispatcher's dispatch() gets the token and API requests, and the server sees none of
// the headers only fetch adds); the replacement once something replaced globalThis.fetch; undici's
// MockAgent once it is the global dispatcher.
//
// undici is imported only inside tests, after Node's own dispatcher took the slot: on import it
// installs an Agent of its own there when the slot is empty, and these tests would drive it instead.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDwollaClient } from '../../src/index.js';
import {
  builtinDispatcher,
  createDefaultTransport,
} from '../../src/transport/default-transport.js';
import { json, startServer, tokenOr, type TestServer } from './http-server.js';

const SLOT = Symbol.for('undici.globalDispatcher.1');
const globals = globalThis as unknown as Record<symbol, unknown>;

// Reading Headers loads Node's undici, which installs Node's dispatcher in the slot.
void globalThis.Headers;
const nodeDispatcher = globals[SLOT] as {
  dispatch(options: { method: string; path: string }): boolean;
};
const nodeFetch = globalThis.fetch;

const client = (server: TestServer, extra = {}) =>
  createDwollaClient({ key: 'k', secret: 's', baseUrl: server.url, ...extra });

/** What the server saw: method, path, and whether Node's fetch sent it (its `sec-fetch-mode`). */
const arrivals = (server: TestServer) =>
  server.seen.map((s) => `${s.method} ${s.url}${s.headers['sec-fetch-mode'] ? ' via fetch' : ''}`);

describe('the default transport (no transport or fetch option)', () => {
  afterEach(() => {
    globalThis.fetch = nodeFetch;
    globals[SLOT] = nodeDispatcher;
    vi.restoreAllMocks();
  });

  it("sends through Node's own built-in dispatcher while globalThis.fetch is Node's", async () => {
    const server = await startServer(tokenOr((_req, res) => json(res, 200, { ok: true })));
    try {
      const dispatched = vi.spyOn(nodeDispatcher, 'dispatch');
      // The oracle can tell: a client given Node's fetch is seen as coming via fetch.
      await client(server, { fetch: nodeFetch }).get('/with-fetch');
      await expect(client(server).get('/default')).resolves.toMatchObject({ data: { ok: true } });
      expect(arrivals(server)).toEqual([
        'POST /token via fetch',
        'GET /with-fetch via fetch',
        'POST /token',
        'GET /default',
      ]);
      expect(dispatched.mock.calls.map(([o]) => `${o.method} ${o.path}`)).toEqual([
        'POST /token',
        'GET /with-fetch',
        'POST /token',
        'GET /default',
      ]);
      // Node's own dispatcher, not the Agent of the undici package.
      const { Agent } = await import('undici');
      expect(nodeDispatcher).not.toBeInstanceOf(Agent);
    } finally {
      await server.close();
    }
  });

  it('sends through a replaced globalThis.fetch, even one written like Node’s, while it is there', async () => {
    const server = await startServer(tokenOr((_req, res) => json(res, 200, { ok: true })));
    try {
      const dwolla = client(server);
      const seen: string[] = [];
      // A pass-through wrapper with Node's signature: ends in Node's dispatcher too, but must see
      // every request.
      globalThis.fetch = function fetch(input: string | URL | Request, init = undefined) {
        seen.push(String(input));
        return nodeFetch(input, init);
      } as typeof fetch;
      await dwolla.get('/replaced');
      expect(seen).toEqual([`${server.url}/token`, `${server.url}/replaced`]);
      globalThis.fetch = nodeFetch;
      await dwolla.get('/restored');
      expect(arrivals(server)).toEqual([
        'POST /token via fetch',
        'GET /replaced via fetch',
        'GET /restored',
      ]);
    } finally {
      await server.close();
    }
  });

  it('sends through a stub that answers itself (as msw does), the server never reached', async () => {
    const server = await startServer(tokenOr((_req, res) => json(res, 200, { real: true })));
    try {
      const stub = vi.fn(async (input: string | URL | Request) =>
        String(input).endsWith('/token')
          ? Response.json({ access_token: 'tok-stub', token_type: 'bearer', expires_in: 3600 })
          : Response.json({ stubbed: true }),
      );
      vi.stubGlobal('fetch', stub);
      await expect(client(server).get('/x')).resolves.toMatchObject({ data: { stubbed: true } });
      expect(stub).toHaveBeenCalledTimes(2);
      expect(server.seen).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
      await server.close();
    }
  });

  it('sends through the global dispatcher of the moment (undici MockAgent via setGlobalDispatcher)', async () => {
    const { MockAgent, setGlobalDispatcher } = await import('undici');
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://api.dwolla.test');
    pool
      .intercept({ path: '/token', method: 'POST' })
      .reply(200, { access_token: 'tok-mock', token_type: 'bearer', expires_in: 3600 });
    pool
      .intercept({ path: '/customers', method: 'GET' })
      .reply(200, { mocked: true }, { headers: { 'content-type': 'application/json' } });
    setGlobalDispatcher(agent);
    try {
      const dwolla = createDwollaClient({
        key: 'k',
        secret: 's',
        baseUrl: 'https://api.dwolla.test',
      });
      await expect(dwolla.get('/customers')).resolves.toMatchObject({ data: { mocked: true } });
      agent.assertNoPendingInterceptors();
    } finally {
      setGlobalDispatcher(nodeDispatcher as never);
      await agent.close();
    }
  });

  it('is global fetch where the dispatcher slot holds nothing that can dispatch (not Node)', () => {
    expect(createDefaultTransport().adapter()).toBe('node-dispatcher');
    for (const held of [{}, { dispatch: 'no' }, null]) {
      globals[SLOT] = held;
      expect(builtinDispatcher()).toBeUndefined();
      expect(createDefaultTransport().adapter()).toBe('fetch');
    }
  });
});
