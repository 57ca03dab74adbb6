export { createRedisTokenStore, DEFAULT_REDIS_TIMEOUT_MS } from './redis-token-store.js';
export type { RedisClient, RedisTokenStore, RedisTokenStoreOptions } from './redis-token-store.js';
export type { TokenStore } from '../auth/token-store.js';
