// createRedisTokenStore on a real redis-server: the TokenStore contract, options, connections.
import { createClient } from 'redis';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRedisTokenStore } from '../../src/redis/index.js';
import { useRedisServer } from '../helpers/redis-server.js';

const redis = useRedisServer();

beforeEach(() => redis.admin.flushAll());

/** Connections the server holds besides the admin's. */
async function connections(): Promise<number> {
  const list = await redis.admin.clientList();
  return list.length - 1;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('createRedisTokenStore', () => {
  it('get / set with TTL / tryLock / compareAndDelete, atomically on Redis', async () => {
    const store = createRedisTokenStore({ url: redis.server.url });
    try {
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'v1', 5_000);
      expect(await store.get('k')).toBe('v1');
      const ttl = await redis.admin.pTTL('k');
      expect(ttl).toBeGreaterThan(3_000);
      expect(ttl).toBeLessThanOrEqual(5_000);

      expect(await store.tryLock('lock', 'owner-a', 5_000)).toBe(true);
      expect(await store.tryLock('lock', 'owner-b', 5_000)).toBe(false);
      expect(await store.compareAndDelete('lock', 'owner-b')).toBe(false);
      expect(await redis.admin.get('lock')).toBe('owner-a');
      expect(await store.compareAndDelete('lock', 'owner-a')).toBe(true);
      expect(await redis.admin.exists('lock')).toBe(0);
      expect(await store.tryLock('lock', 'owner-b', 50)).toBe(true);
      await until(async () => (await redis.admin.exists('lock')) === 0); // the TTL frees it
    } finally {
      await store.close();
    }
  });

  it('close() releases the connection it opened', async () => {
    const before = await connections();
    const store = createRedisTokenStore({ url: redis.server.url });
    await store.get('k');
    expect(await connections()).toBe(before + 1);
    await store.close();
    await until(async () => (await connections()) === before);
    await store.close(); // twice is fine
  });

  it('uses a client you pass, opening it if needed, and leaves it open on close()', async () => {
    const client = createClient({ url: redis.server.url });
    const store = createRedisTokenStore({ client });
    await store.set('k', 'v', 5_000);
    expect(await store.get('k')).toBe('v');
    await store.close();
    expect(client.isOpen).toBe(true);
    expect(await client.get('k')).toBe('v');
    client.destroy();
  });

  it('close() while Redis is down ends at once; commands that timed out never reach Redis later', async () => {
    const store = createRedisTokenStore({ url: redis.server.url, timeoutMs: 200 });
    await store.get('k');
    await redis.server.kill();
    try {
      await expect(store.set('stale', 'v', 60_000)).rejects.toThrow();
      await expect(store.tryLock('stale-lock', 'o', 60_000)).rejects.toThrow();
    } finally {
      await redis.server.restart();
    }
    await until(async () => {
      try {
        return (await store.get('k')) === undefined;
      } catch {
        return false;
      }
    });
    expect(await redis.admin.exists(['stale', 'stale-lock'])).toBe(0);

    await redis.server.kill();
    const started = performance.now();
    await store.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    await redis.server.restart();
  });

  it('refuses bad options with a TypeError naming the option, never echoing the URL', () => {
    expect(() => createRedisTokenStore(undefined as never)).toThrow(
      'createRedisTokenStore: options must be an object',
    );
    expect(() => createRedisTokenStore({})).toThrow(
      'options.url or options.client must be given, but not both',
    );
    expect(() =>
      createRedisTokenStore({
        url: redis.server.url,
        client: createClient({ url: redis.server.url }),
      }),
    ).toThrow('but not both');
    for (const url of ['https://user:hunter2@cache.example.com', 'not a url :hunter2']) {
      let message = '';
      try {
        createRedisTokenStore({ url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe(
        'createRedisTokenStore: options.url must be a redis:// or rediss:// URL',
      );
    }
    expect(() => createRedisTokenStore({ client: {} as never })).toThrow(
      "options.client must be a node-redis client (createClient() of the 'redis' package)",
    );
    expect(() => createRedisTokenStore({ url: redis.server.url, timeoutMs: 0 })).toThrow(
      'options.timeoutMs must be a positive finite number of milliseconds',
    );
    // Over what a timer holds (2^31 - 1 ms), Node would fire it at once.
    expect(() => createRedisTokenStore({ url: redis.server.url, timeoutMs: 2 ** 31 })).toThrow(
      'options.timeoutMs must be at most 2147483647 ms',
    );
  });
});
