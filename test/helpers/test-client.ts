/**
 * createDwollaClient on a runtime the test controls: `clock` (the token clock), `sleep` (the
 * waits between retries) and `random` (the jitter) are not options of the package; tests give
 * them here (src/client.ts: createDwollaClientWith).
 */
import { createDwollaClientWith } from '../../src/client.js';
import type { Runtime } from '../../src/common/runtime.js';
import type { DwollaClient, DwollaClientOptions } from '../../src/index.js';

export interface TestKnobs {
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export function testClient(options: DwollaClientOptions & TestKnobs): DwollaClient {
  const { clock, sleep, random, ...rest } = options;
  const runtime: Partial<Runtime> = {};
  if (clock) runtime.now = clock;
  if (sleep) runtime.sleep = sleep;
  if (random) runtime.random = random;
  return createDwollaClientWith(rest, runtime);
}
