import { createRequire } from 'node:module';
import type * as Redis from 'redis';

export const REDIS_PEER = 'redis';

/**
 * node-redis, an optional peer dependency: loaded when `dwolla-openapi-client/redis` is imported,
 * failing at once with what to install when it is missing.
 */
export function loadRedis(): typeof Redis {
  try {
    return createRequire(import.meta.url)(REDIS_PEER) as typeof Redis;
  } catch (cause) {
    if ((cause as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw cause;
    throw new Error(
      `dwolla-openapi-client/redis needs the package '${REDIS_PEER}' (node-redis), an optional peer dependency: npm install ${REDIS_PEER}@^6`,
      { cause },
    );
  }
}
