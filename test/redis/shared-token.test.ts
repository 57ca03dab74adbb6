// One token for every client (process) of an application, through a real redis-server.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaTokenError, type TokenStore } from '../../src/index.js';
import { createRedisTokenStore, type RedisTokenStore } from '../../src/redis/index.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { useRedisServer } from '../helpers/redis-server.js';
import { testClient } from '../helpers/test-client.js';

const redis = useRedisServer();
let fake: FakeDwolla;
let stores: RedisTokenStore[] = [];

beforeEach(async () => {
  fake = await startFakeDwolla();
  await redis.admin.flushAll();
});
afterEach(async () => {
  redis.server.resume();
  await Promise.all(stores.map((store) => store.close()));
  stores = [];
  await fake.close();
});

/**
 * A store on its own connection, as each process of a fleet has. 5 s per store call, not the
 * default 250 ms, where a test is not about that bound: on a busy machine (load 20 on 2 cores) a
 * store call over 1 s made a process go on with its own token, one refresh too many.
 */
function store(timeoutMs = 5_000): RedisTokenStore {
  const created = createRedisTokenStore({ url: redis.server.url, timeoutMs });
  stores.push(created);
  return created;
}

/** A client with its own token cache and Redis connection: one process of a fleet. */
function processClient(
  options: { warnings?: string[]; timeoutMs?: number; key?: string; storeTimeoutMs?: number } = {},
) {
  return testClient({
    key: options.key ?? KEY,
    secret: SECRET,
    baseUrl: fake.origin,
    sleep: noSleep,
    tokenStore: store(options.storeTimeoutMs),
    onWarning: (message) => options.warnings?.push(message),
    ...(options.timeoutMs ? { tokenTimeoutMs: options.timeoutMs } : {}),
  });
}

/** The documented key: HMAC-SHA256 keyed by the secret of JSON [key, tokenUrl], here with node:crypto. */
const tokenKey = (key = KEY, tokenUrl = `${fake.origin}/token`, secret = SECRET) =>
  `dwolla-openapi-client:token:${createHmac('sha256', secret)
    .update(JSON.stringify([key, tokenUrl]))
    .digest('hex')}`;

const lockKey = () => tokenKey().replace(':token:', ':lock:');

async function everything(): Promise<string> {
  const keys = await redis.admin.keys('*');
  const values = await Promise.all(keys.map((k) => redis.admin.get(k)));
  return JSON.stringify([keys, values]);
}

const failures = (settled: PromiseSettledResult<unknown>[]) =>
  settled.filter((s) => s.status === 'rejected');

describe('a token shared through Redis', () => {
  it('5 cold clients × 20 concurrent calls make 1 token request, stored under the derived key until its refresh time', async () => {
    const clients = Array.from({ length: 5 }, () => processClient());
    const settled = await Promise.allSettled(
      clients.flatMap((c) => Array.from({ length: 20 }, (_, i) => c.get(`/cold/${i}`))),
    );
    expect(failures(settled)).toEqual([]);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.apiRequests().every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);

    // Only the token key is left (the lock was released); the secret and key appear nowhere.
    expect(await redis.admin.keys('*')).toEqual([tokenKey()]);
    const dump = await everything();
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain(KEY);
    expect(JSON.parse((await redis.admin.get(tokenKey()))!)).toMatchObject({
      accessToken: 'tok-1',
    });
    // expires_in 3600: refresh 60 s before expiry, so the key lives at most 3 540 s.
    const ttl = await redis.admin.pTTL(tokenKey());
    expect(ttl).toBeLessThanOrEqual(3_540_000);
    expect(ttl).toBeGreaterThan(3_540_000 - 30_000);
  });

  it('a client started later reuses the stored token; another key or token URL does not', async () => {
    await processClient().get('/first');
    expect(await processClient().getAccessToken()).toBe('tok-1');
    fake.credentials.key = 'another-app-key';
    expect(await processClient({ key: 'another-app-key' }).getAccessToken()).toBe('tok-2');
    fake.credentials.key = KEY;
    const otherIssuer = await startFakeDwolla({ tokenPrefix: 'other-' });
    try {
      const viaOtherTokenUrl = testClient({
        key: KEY,
        secret: SECRET,
        baseUrl: fake.origin,
        tokenUrl: `${otherIssuer.origin}/token`,
        tokenStore: store(),
      });
      expect(await viaOtherTokenUrl.getAccessToken()).toBe('other-1');
      expect(await redis.admin.exists(tokenKey(KEY, `${otherIssuer.origin}/token`))).toBe(1);
    } finally {
      await otherIssuer.close();
    }
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('keeps the reuse window: a client that read the token later refreshes when its issuer does', async () => {
    fake.expiresIn = 4; // reused for 2 s (window = lifetime / 2)
    const issuer = processClient();
    const started = performance.now();
    await issuer.getAccessToken();
    await new Promise((r) => setTimeout(r, 1_000));
    const reader = processClient();
    expect(await reader.getAccessToken()).toBe('tok-1');
    // Counted from its own read, the reader would keep tok-1 until ~3 s; the stored refresh
    // time says 2 s after the issuer's request.
    await new Promise((r) => setTimeout(r, Math.max(0, started + 2_400 - performance.now())));
    expect(await reader.getAccessToken()).toBe('tok-2');
    expect(await issuer.getAccessToken()).toBe('tok-2');
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('waits for the lock holder instead of requesting a token itself', async () => {
    let release: () => void = () => {};
    fake.tokenReplies.push((_r, res) => {
      release = () => fake.issue(res);
    });
    const holder = processClient().getAccessToken();
    await until(() => fake.tokenRequests().length === 1);
    const waiter = processClient().getAccessToken();
    await new Promise((r) => setTimeout(r, 300));
    release();
    expect(await Promise.all([holder, waiter])).toEqual(['tok-1', 'tok-1']);
    expect(fake.tokenRequests()).toHaveLength(1);
  });

  it('stops waiting for a lock holder that died after tokenTimeoutMs, and shares its own token', async () => {
    await redis.admin.set(lockKey(), 'a-process-that-died', {
      expiration: { type: 'PX', value: 60_000 },
    });
    const started = performance.now();
    expect(await processClient({ timeoutMs: 1_000 }).getAccessToken()).toBe('tok-1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(await processClient().getAccessToken()).toBe('tok-1');
  });

  it('a failed token request releases the lock and stores nothing', async () => {
    fake.credentials.secret = 'not-the-secret';
    const a = processClient();
    const b = processClient();
    await expect(a.get('/x')).rejects.toBeInstanceOf(DwollaTokenError);
    await expect(b.get('/x')).rejects.toBeInstanceOf(DwollaTokenError);
    expect(await redis.admin.keys('*')).toEqual([]);
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it.each([
    ['not JSON', 'not json'],
    ['not an object', '["tok-x"]'],
    ['an empty token', JSON.stringify({ accessToken: '', refreshAt: 9e15, expiresAt: 9e15 })],
    ['no refresh time', JSON.stringify({ accessToken: 'tok-x', expiresAt: 9e15 })],
    ['a refresh time past', JSON.stringify({ accessToken: 'tok-x', refreshAt: 1, expiresAt: 2 })],
    [
      'expiry before refresh',
      JSON.stringify({ accessToken: 'tok-x', refreshAt: 9e15, expiresAt: 1 }),
    ],
    [
      'a token with CR/LF',
      JSON.stringify({ accessToken: 'tok-x\r\nX-Evil: 1', refreshAt: 9e15, expiresAt: 9e15 }),
    ],
    [
      'a token with NUL',
      JSON.stringify({ accessToken: 'tok-x\u0000', refreshAt: 9e15, expiresAt: 9e15 }),
    ],
    [
      'a non-Latin-1 token',
      JSON.stringify({ accessToken: 'tok-☃', refreshAt: 9e15, expiresAt: 9e15 }),
    ],
  ])('ignores and replaces a stored value with %s', async (_name, value) => {
    await redis.admin.set(tokenKey(), value, { expiration: { type: 'PX', value: 60_000 } });
    expect(await processClient().getAccessToken()).toBe('tok-1');
    expect(JSON.parse((await redis.admin.get(tokenKey()))!)).toMatchObject({
      accessToken: 'tok-1',
    });
  });
});

describe('whose token it is', () => {
  it("a client with the owner's key but another secret, on the same Redis, never gets the owner's token", async () => {
    const owner = processClient();
    await owner.get('/owner');
    const intruder = testClient({
      key: KEY,
      secret: 'not-the-secret-0123',
      baseUrl: fake.origin,
      sleep: noSleep,
      tokenStore: store(),
    });
    await expect(intruder.getAccessToken()).rejects.toBeInstanceOf(DwollaTokenError);
    await expect(intruder.get('/intruder')).rejects.toBeInstanceOf(DwollaTokenError);
    expect(fake.apiRequests().map((r) => r.path)).toEqual(['/owner']);
    // The intruder's token request reached Dwolla, which refused the wrong secret.
    expect(fake.tokenRequests()).toHaveLength(3);
    expect(await redis.admin.keys('*')).toEqual([tokenKey()]);
    expect(await everything()).not.toContain('not-the-secret');
  });

  it('a token planted without TTL that cannot be sent as a header breaks no client: each discards it', async () => {
    await processClient().get('/first');
    const [stored] = await redis.admin.keys('dwolla-openapi-client:token:*');
    const planted = { accessToken: 'tok-x\r\nX-Evil: 1', refreshAt: 9e15, expiresAt: 9e15 };
    await redis.admin.set(stored!, JSON.stringify(planted)); // no TTL
    const clients = Array.from({ length: 3 }, () => processClient());
    const settled = await Promise.allSettled(clients.map((c, i) => c.get(`/after-plant/${i}`)));
    expect(failures(settled)).toEqual([]);
    expect(fake.apiRequests().map((r) => r.headers.authorization)).toEqual(
      Array(4).fill(expect.stringMatching(/^Bearer tok-[12]$/)),
    );
    expect(JSON.parse((await redis.admin.get(stored!))!)).toMatchObject({ accessToken: 'tok-2' });
    expect(await redis.admin.pTTL(stored!)).toBeGreaterThan(0);
  });
});

describe('a 401 with a shared token', () => {
  it('drops the stored token only while it is the one that failed: the fleet refreshes once', async () => {
    const a = processClient();
    const b = processClient();
    await a.get('/a');
    await b.get('/b');
    fake.revoke('tok-1');
    await a.get('/a-again'); // 401 → refresh → tok-2 stored
    await b.get('/b-again'); // 401 with tok-1 must not drop tok-2
    expect(JSON.parse((await redis.admin.get(tokenKey()))!)).toMatchObject({
      accessToken: 'tok-2',
    });
    expect(fake.tokenRequests()).toHaveLength(2);
    const bearers = fake.apiRequests().map((r) => r.headers.authorization);
    expect(bearers.slice(-1)).toEqual(['Bearer tok-2']);
  });

  it('revoke under load: 5 clients × 20 concurrent calls, no failed call, one refresh', async () => {
    const clients = Array.from({ length: 5 }, () => processClient());
    await Promise.all(clients.map((c) => c.get('/warm')));
    fake.revoke('tok-1');
    const settled = await Promise.allSettled(
      clients.flatMap((c) => Array.from({ length: 20 }, (_, i) => c.get(`/revoked/${i}`))),
    );
    expect(failures(settled)).toEqual([]);
    expect(fake.tokenRequests()).toHaveLength(2);
  });
});

describe('Redis slow or down', () => {
  it('down: calls succeed on the process cache, one warning without secrets; Redis is used again when back', async () => {
    const warnings: string[] = [];
    const dwolla = processClient({ warnings, storeTimeoutMs: 250 });
    await redis.server.kill();
    try {
      const started = performance.now();
      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => dwolla.get(`/down/${i}`)),
      );
      expect(failures(settled)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(5_000);
      fake.revoke('tok-1');
      await dwolla.get('/down-after-revoke');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/token store unavailable/);
    } finally {
      await redis.server.restart();
    }
    await until(async () => {
      fake.revoke(fake.issued.at(-1)!);
      await dwolla.get('/back');
      return (await redis.admin.exists(tokenKey())) === 1;
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/answers again/);
    for (const w of warnings) {
      for (const secret of [SECRET, KEY, ...fake.issued]) expect(w).not.toContain(secret);
    }
  });

  it('slow (paused): a token within a bounded time, one warning; shared again once it answers', async () => {
    const warnings: string[] = [];
    const dwolla = processClient({ warnings, storeTimeoutMs: 250 });
    await dwolla.getAccessToken();
    redis.server.pause();
    fake.revoke('tok-1');
    const started = performance.now();
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => dwolla.get(`/slow/${i}`)),
    );
    expect(failures(settled)).toEqual([]);
    // Two store calls (read the token, drop the failed one) of 250 ms each, with room to spare.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no answer within 250 ms/);
    redis.server.resume();
    const reader = processClient();
    await until(async () => {
      fake.revoke(fake.issued.at(-1)!);
      await dwolla.get('/resumed');
      return (await reader.getAccessToken()) === fake.issued.at(-1);
    });
  });

  it('a store that throws, or a warning hook that throws, never fails a call', async () => {
    const broken: TokenStore = {
      get: () => {
        throw new Error(`boom ${SECRET}`);
      },
      set: () => Promise.reject(new Error('boom')),
      tryLock: () => Promise.reject(new Error('boom')),
      compareAndDelete: () => Promise.reject(new Error('boom')),
    };
    const warnings: string[] = [];
    const dwolla = testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      tokenStore: broken,
      onWarning: (message) => {
        warnings.push(message);
        throw new Error('hook failed');
      },
    });
    await dwolla.get('/a');
    expect(warnings).toEqual([
      "dwolla-openapi-client: token store unavailable (Error); using this process's own token cache until it answers",
    ]);
  });
});

/** A TokenStore in memory whose methods can be made to fail: any store, not only Redis. */
function memoryStore() {
  const values = new Map<string, string>();
  const failing = new Set<string>();
  const maybeFail = (method: string) => {
    if (failing.has(method)) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
  };
  const store: TokenStore = {
    async get(key) {
      maybeFail('get');
      return values.get(key);
    },
    async set(key, value) {
      maybeFail('set');
      values.set(key, value);
    },
    async tryLock(key, owner) {
      maybeFail('tryLock');
      if (values.has(key)) return false;
      values.set(key, owner);
      return true;
    },
    async compareAndDelete(key, value) {
      maybeFail('compareAndDelete');
      if (values.get(key) !== value) return false;
      return values.delete(key);
    },
  };
  return { store, values, failing };
}

describe('any TokenStore', () => {
  const client = (store: TokenStore, warnings: string[] = []) =>
    testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      tokenStore: store,
      onWarning: (m) => warnings.push(m),
    });

  it('shares a token through an in-memory store', async () => {
    const memory = memoryStore();
    await client(memory.store).get('/a');
    expect(await client(memory.store).getAccessToken()).toBe('tok-1');
    expect(fake.tokenRequests()).toHaveLength(1);
  });

  it('a store that fails to lock, or to set: the token still comes, the failure is named by its code', async () => {
    const memory = memoryStore();
    const warnings: string[] = [];
    memory.failing.add('tryLock');
    expect(await client(memory.store, warnings).getAccessToken()).toBe('tok-1');
    expect(warnings).toEqual([
      "dwolla-openapi-client: token store unavailable (Error ECONNREFUSED); using this process's own token cache until it answers",
    ]);
    memory.failing.clear();
    memory.failing.add('set');
    expect(await client(memory.store).getAccessToken()).toBe('tok-2');
    expect(memory.values.size).toBe(0);
  });

  it('a store that fails while this process waits for the lock holder', async () => {
    const memory = memoryStore();
    memory.values.set(lockKey(), 'another-process');
    const waiting = client(memory.store).getAccessToken();
    await new Promise((r) => setTimeout(r, 50));
    memory.failing.add('get');
    expect(await waiting).toBe('tok-1');
  });

  it('a token whose refresh time has passed by the time it is stored is not stored', async () => {
    fake.expiresIn = 0.001;
    const memory = memoryStore();
    expect(await client(memory.store).getAccessToken()).toBe('tok-1');
    expect([...memory.values.keys()].filter((k) => k.includes(':token:'))).toEqual([]);
  });

  it('names a thrown non-Error by its type', async () => {
    const memory = memoryStore();
    const warnings: string[] = [];
    memory.store.get = () => Promise.reject('down');
    await client(memory.store, warnings).getAccessToken();
    expect(warnings[0]).toContain('(string)');
  });
});

describe('options', () => {
  it('refuses a token store without the interface, and a non-function onWarning', () => {
    const base = { key: KEY, secret: SECRET, baseUrl: 'https://api.example.com' };
    expect(() => testClient({ ...base, tokenStore: null as never })).toThrow(
      'options.tokenStore must be an object',
    );
    expect(() => testClient({ ...base, tokenStore: { get() {}, set() {} } as never })).toThrow(
      'options.tokenStore must have a tryLock() method',
    );
    expect(() =>
      testClient({ ...base, tokenStore: { ...memoryStore().store, timeoutMs: 0 } }),
    ).toThrow('options.tokenStore timeoutMs must be a positive finite number of milliseconds');
    expect(() => testClient({ ...base, onWarning: 'log' as never })).toThrow(
      'options.onWarning must be a function',
    );
  });
});

/** Polls `check` every 50 ms until it holds (10 s at most). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
