import type { RedisClientType } from 'redis';
import type { TokenStore } from '../auth/token-store.js';
import { timeLimitProblem } from '../common/time-limit.js';
import { loadRedis } from './load-redis.js';

/** Any node-redis client, whatever its modules, scripts, RESP version or type mapping. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RedisClient = RedisClientType<any, any, any, any, any>;

/** Options of {@link createRedisTokenStore}: a `url` or a `client`. */
export interface RedisTokenStoreOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]` (`rediss://` for TLS): the store opens its own
   * connection, and `close()` closes it.
   */
  url?: string;
  /**
   * A node-redis client you own (`createClient()` from `redis`), open or not: the store opens it
   * if needed; `close()` leaves it open. Exclusive with `url`.
   */
  client?: RedisClient;
  /**
   * How long the Dwolla client waits for each store call before going on with its own token
   * cache, and the timeout of each Redis command: a command not yet sent by then is dropped, so
   * nothing stale reaches Redis after an outage. Default 250 ms.
   */
  timeoutMs?: number;
}

/** A token store on Redis, shared by every process with the same key, secret and token URL. */
export interface RedisTokenStore extends TokenStore {
  /** Closes the connection the store opened (`url`); a client you passed stays open. */
  close(): Promise<void>;
}

/** How long the client waits for each Redis call by default, in ms. */
export const DEFAULT_REDIS_TIMEOUT_MS = 250;

/** Deletes KEYS[1] only while it holds ARGV[1]: one atomic step on the server. */
const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const redis = loadRedis();

function fail(option: string, requirement: string): never {
  throw new TypeError(`createRedisTokenStore: options.${option} ${requirement}`);
}

function checkUrl(url: unknown): string {
  // The URL may hold a password: never echo it.
  const requirement = 'must be a redis:// or rediss:// URL';
  if (typeof url !== 'string' || !URL.canParse(url)) fail('url', requirement);
  if (!['redis:', 'rediss:'].includes(new URL(url).protocol)) fail('url', requirement);
  return url;
}

function openClient(options: RedisTokenStoreOptions): { client: RedisClient; owned: boolean } {
  if ((options.url === undefined) === (options.client === undefined)) {
    fail('url', 'or options.client must be given, but not both');
  }
  if (options.url !== undefined) {
    const client: RedisClient = redis.createClient({ url: checkUrl(options.url) });
    return { client, owned: true };
  }
  const client = options.client;
  if (typeof client?.withCommandOptions !== 'function') {
    fail('client', "must be a node-redis client (createClient() of the 'redis' package)");
  }
  return { client, owned: false };
}

/**
 * A TokenStore on Redis (node-redis): plain GET, SET PX, SET NX PX and a Lua compare-and-delete,
 * each atomic on the server. The connection opens at once, reconnects by itself after an outage
 * (node-redis' backoff), and never throws into the process: connection errors reach the Dwolla
 * client as failed store calls, which it reports through `onWarning`.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createRedisTokenStore: options must be an object');
  }
  const timeout = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  const problem = timeLimitProblem(timeout);
  if (problem !== undefined) fail('timeoutMs', problem);
  const { client, owned } = openClient(options);
  // node-redis emits connection errors as 'error' events; without a listener they would crash
  // the process. A client you pass keeps the listeners you gave it.
  if (owned || client.listenerCount('error') === 0) client.on('error', () => {});
  const opened = client.isOpen ? Promise.resolve() : client.connect().then(() => undefined);
  opened.catch(() => {});
  const commands = client.withCommandOptions({ timeout });
  const ttl = (ms: number) => ({ type: 'PX' as const, value: Math.max(1, Math.ceil(ms)) });

  return {
    timeoutMs: timeout,
    async get(key) {
      const value: unknown = await commands.get(key);
      return value === null || value === undefined ? undefined : String(value);
    },
    async set(key, value, ttlMs) {
      await commands.set(key, value, { expiration: ttl(ttlMs) });
    },
    async tryLock(key, owner, ttlMs) {
      const reply: unknown = await commands.set(key, owner, {
        condition: 'NX',
        expiration: ttl(ttlMs),
      });
      return reply !== null && reply !== undefined;
    },
    async compareAndDelete(key, value) {
      const deleted: unknown = await commands.eval(COMPARE_AND_DELETE, {
        keys: [key],
        arguments: [value],
      });
      return Number(deleted) === 1;
    },
    async close() {
      if (!owned || !client.isOpen) return;
      // Connected: let sent commands finish. Down or still connecting: stop trying now.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
