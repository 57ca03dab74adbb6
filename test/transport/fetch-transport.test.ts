// The fetch adapter: the transport on a `fetch` (the global one where Node's dispatcher is not
// used, or the caller's `fetch` option).
import { describe, expect, it } from 'vitest';
import { createDwollaClient, DwollaError, DwollaTimeoutError } from '../../src/index.js';
import { fetchTransport } from '../../src/transport/fetch-transport.js';
import { transportContract } from './contract.js';
import { json, startServer, tokenOr } from './http-server.js';

transportContract('fetch adapter (global fetch)', () => ({
  transport: fetchTransport((input, init) => globalThis.fetch(input, init)),
  close: async () => {},
}));

describe('fetch adapter, with a fetch of your own', () => {
  it('one that ignores its signal is still ended at the time limit, its late answer dropped', async () => {
    const server = await startServer(tokenOr((_req, res) => json(res, 200, { late: true })));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const deaf: typeof fetch = async (input, init) => {
        if (!String(input).endsWith('/token')) await new Promise((r) => setTimeout(r, 400));
        return fetch(input, { ...init, signal: undefined });
      };
      const dwolla = createDwollaClient({
        key: 'k',
        secret: 's',
        baseUrl: server.url,
        fetch: deaf,
        attemptTimeoutMs: 100,
        maxRetries: 0,
      });
      await expect(dwolla.get('/x')).rejects.toBeInstanceOf(DwollaTimeoutError);
      await new Promise((r) => setTimeout(r, 600));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await server.close();
    }
  });

  it('one that follows a redirect although told not to has its answer dropped', async () => {
    const server = await startServer(
      tokenOr((req, res) =>
        req.url === '/moved'
          ? json(res, 200, { elsewhere: true })
          : (res.writeHead(302, { location: '/moved' }), res.end()),
      ),
    );
    try {
      const following: typeof fetch = (input, init) =>
        fetch(input, { ...init, redirect: 'follow' });
      const dwolla = createDwollaClient({
        key: 'k',
        secret: 's',
        baseUrl: server.url,
        fetch: following,
      });
      const error = await dwolla.get('/x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaError);
      expect((error as Error).message).toMatch(/followed a redirect .* the response was dropped/);
    } finally {
      await server.close();
    }
  });
});
