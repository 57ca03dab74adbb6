import type * as Redis from 'redis';
import { requirePeers } from '../peers.js';

/**
 * node-redis, the optional peer of `dwolla-openapi-client/redis`: importing the entry point
 * without it fails at once with a message naming it and the `npm install` line to run.
 */
export const REDIS_PEERS = ['redis'] as const;

const redisPeer = requirePeers('dwolla-openapi-client/redis', REDIS_PEERS);

export function loadRedis(): typeof Redis {
  return redisPeer<typeof Redis>('redis');
}
