/**
 * One process of a fleet (test/redis/fleet.test.ts): a client sharing its token through Redis.
 * Env: DWOLLA_ORIGIN, REDIS_URL, STORE_TIMEOUT_MS (the store's timeoutMs). Reads commands from stdin, one a line:
 *   `run <n> <tag>`: n concurrent GET /fleet/<tag>/<i>, then prints {"tag","ok","failed","errors"};
 *   `exit`: closes the store and stops reading, so the process ends by itself.
 * Prints {"ready":true} first, and {"warning"} lines for the client's warnings.
 */
import { createInterface } from 'node:readline';
import { createDwollaClient } from '../../src/index.js';
import { createRedisTokenStore } from '../../src/redis/index.js';
import { KEY, SECRET } from '../auth/fake-dwolla.js';

const print = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);

const store = createRedisTokenStore({
  url: process.env.REDIS_URL!,
  timeoutMs: Number(process.env.STORE_TIMEOUT_MS ?? 250),
});
const dwolla = createDwollaClient({
  key: KEY,
  secret: SECRET,
  baseUrl: process.env.DWOLLA_ORIGIN!,
  tokenStore: store,
  onWarning: (warning) => print({ warning }),
});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, n, tag] = line.split(' ');
  if (command === 'exit') {
    lines.close();
    process.stdin.destroy();
    void store.close();
    return;
  }
  const started = performance.now();
  let tokenMs: number | undefined;
  void dwolla.getAccessToken().then(() => (tokenMs = performance.now() - started));
  void Promise.allSettled(
    Array.from({ length: Number(n) }, (_, i) => dwolla.get(`/fleet/${tag}/${i}`)),
  ).then((settled) => {
    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    print({
      tag,
      ok: settled.length - errors.length,
      failed: errors.length,
      errors: errors.slice(0, 3),
      ms: Math.round(performance.now() - started),
      tokenMs: Math.round(tokenMs ?? -1),
    });
  });
});
print({ ready: true });
