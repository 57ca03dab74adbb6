// The default transport on Node: Node's own built-in dispatcher (the one its global fetch sends
// through), driven directly; the global fetch when that is not Node's own.
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createDwollaClient } from '../../src/index.js';
import {
  builtinDispatcher,
  createDefaultTransport,
} from '../../src/transport/default-transport.js';
import { dispatcherTransport } from '../../src/transport/dispatcher-transport.js';
import { transportContract } from './contract.js';
import { json, startServer, transportRequest } from './http-server.js';

transportContract("Node's built-in dispatcher", () => ({
  transport: dispatcherTransport(() => builtinDispatcher()!),
  close: async () => {},
}));

describe('the default transport', () => {
  const realFetch = globalThis.fetch;
  const realDispatcher = getGlobalDispatcher();
  afterEach(() => {
    globalThis.fetch = realFetch;
    setGlobalDispatcher(realDispatcher);
  });

  it("is Node's built-in dispatcher on Node, found without a dependency", () => {
    expect(builtinDispatcher()).toBeDefined();
    expect(createDefaultTransport().adapter()).toBe('node-dispatcher');
  });

  it('is global fetch when the dispatcher slot holds something that cannot dispatch', () => {
    (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')] = {};
    expect(builtinDispatcher()).toBeUndefined();
    expect(createDefaultTransport().adapter()).toBe('fetch');
  });

  it('sends through globalThis.fetch once something replaced it (a test mock, a wrapper)', async () => {
    const server = await startServer((req, res) =>
      req.url === '/token'
        ? json(res, 200, { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 })
        : json(res, 200, { real: true }),
    );
    try {
      const seen: string[] = [];
      const transport = createDefaultTransport();
      globalThis.fetch = async (input, init) => {
        seen.push(String(input));
        return realFetch(input, init);
      };
      expect(transport.adapter()).toBe('fetch');
      const dwolla = createDwollaClient({ key: 'k', secret: 's', baseUrl: server.url });
      await expect(dwolla.get('/x')).resolves.toMatchObject({ data: { real: true } });
      expect(seen).toEqual([`${server.url}/token`, `${server.url}/x`]);
      globalThis.fetch = realFetch;
      expect(transport.adapter()).toBe('node-dispatcher');
    } finally {
      await server.close();
    }
  });

  it('sends through the global dispatcher of the moment (undici MockAgent via setGlobalDispatcher)', async () => {
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
    const dwolla = createDwollaClient({
      key: 'k',
      secret: 's',
      baseUrl: 'https://api.dwolla.test',
    });
    await expect(dwolla.get('/customers')).resolves.toMatchObject({ data: { mocked: true } });
    agent.assertNoPendingInterceptors();
  });
});

describe('the dispatcher adapter', () => {
  it('a dispatcher that throws at once fails the exchange, leaving no timer behind', async () => {
    const broken = dispatcherTransport(() => ({
      dispatch: () => {
        throw new Error('boom');
      },
    }));
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(
      broken.send(transportRequest('http://127.0.0.1:9', '/x', { timeoutMs: 60_000 })),
    ).rejects.toThrow('boom');
    expect(timers()).toBe(before);
  });
});
