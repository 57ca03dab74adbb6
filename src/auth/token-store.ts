/**
 * Where clients keep one access token for every process that uses the same Dwolla application
 * (`createDwollaClient({ tokenStore })`). Keys and values are opaque strings chosen by the client:
 * keys never contain the secret, values hold the access token, a secret. Every method must be
 * atomic on the backing store and should answer in milliseconds: the client gives each call
 * `timeoutMs` (default 250 ms) and then goes on with its own in-process cache (README: "Sharing
 * the token across processes").
 * `createRedisTokenStore` (`dwolla-openapi-client/redis`) implements it on Redis.
 */
export interface TokenStore {
  /** The value under `key`, or undefined when there is none (never stored, expired, deleted). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds, replacing any value (Redis: SET PX). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * The lock: stores `owner` under `key` for `ttlMs` only if `key` holds nothing; true when it
   * did (Redis: SET NX PX). Released with `compareAndDelete(key, owner)`, or by the TTL.
   */
  tryLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only if it still holds exactly `value`; true when it deleted (Redis: Lua). */
  compareAndDelete(key: string, value: string): Promise<boolean>;
  /** How long the client waits for each call before going on without the store (default 250). */
  readonly timeoutMs?: number;
}
