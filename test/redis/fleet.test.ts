// The fleet proof: real processes sharing one token through one real redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fleet-worker.ts');
const PROCESSES = 4;
const CALLS = 250;

interface RunResult {
  tag: string;
  ok: number;
  failed: number;
  errors: string[];
}

interface Worker {
  child: ChildProcess;
  warnings: string[];
  send(line: string): void;
  /** The next run result printed with this tag. */
  result(tag: string): Promise<RunResult>;
  exited: Promise<number | null>;
}

function startWorker(env: NodeJS.ProcessEnv): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const results = new Map<string, (r: RunResult) => void>();
  const pending = new Map<string, RunResult>();
  const warnings: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`fleet worker exited early (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: true; warning?: string } & RunResult;
      if (message.ready) {
        resolve({
          child,
          warnings,
          send: (text) => child.stdin!.write(`${text}\n`),
          result: (tag) =>
            pending.has(tag)
              ? Promise.resolve(pending.get(tag)!)
              : new Promise((r) => results.set(tag, r)),
          exited,
        });
      } else if (message.warning !== undefined) {
        warnings.push(message.warning);
      } else {
        pending.set(message.tag, message);
        results.get(message.tag)?.(message);
      }
    });
  });
}

let fake: FakeDwolla;
let redis: RedisServer;
let workers: Worker[] = [];

beforeAll(async () => {
  [fake, redis] = await Promise.all([startFakeDwolla(), startRedisServer()]);
  workers = await Promise.all(
    Array.from({ length: PROCESSES }, () =>
      // 1 s per store call rather than 250 ms: 4 processes busy with 250 calls each, on a
      // machine shared with other test files, must not fall back for a slow turn of their loop.
      startWorker({ DWOLLA_ORIGIN: fake.origin, REDIS_URL: redis.url, STORE_TIMEOUT_MS: '1000' }),
    ),
  );
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all([fake?.close(), redis?.stop()]);
});

/** Every process makes CALLS concurrent calls; returns the results. */
async function runAll(tag: string): Promise<RunResult[]> {
  for (const w of workers) w.send(`run ${CALLS} ${tag}`);
  return Promise.all(workers.map((w) => w.result(tag)));
}

/** Revokes every token issued so far: each process, whichever token it holds, gets a 401. */
const revokeAll = () => fake.issued.forEach((token) => fake.revoke(token));
const warnings = () => JSON.stringify(workers.map((w) => w.warnings));
const failed = (results: RunResult[]) => results.flatMap((r) => r.errors);
const okCalls = (results: RunResult[]) => results.reduce((sum, r) => sum + r.ok, 0);

describe(`a fleet of ${PROCESSES} processes sharing a token through Redis`, () => {
  it(`${PROCESSES} × ${CALLS} concurrent cold calls make 1 token request`, async () => {
    const results = await runAll('cold');
    expect(failed(results)).toEqual([]);
    expect(okCalls(results)).toBe(PROCESSES * CALLS);
    expect(fake.tokenRequests(), warnings()).toHaveLength(1);
  });

  it('revoking the token: no failed call, at most 2 token requests', async () => {
    const before = fake.tokenRequests().length;
    revokeAll();
    const results = await runAll('revoked');
    expect(failed(results)).toEqual([]);
    expect(okCalls(results)).toBe(PROCESSES * CALLS);
    const made = fake.tokenRequests().length - before;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made, warnings()).toBeLessThanOrEqual(2);
  });

  it('killing Redis mid-run (and revoking the token then): no failed call, the outage reported once per process', async () => {
    const running = runAll('killed');
    const deadline = Date.now() + 30_000;
    while (!fake.apiRequests().some((r) => r.path.startsWith('/fleet/killed/'))) {
      if (Date.now() > deadline) throw new Error('the run did not start');
      await new Promise((r) => setTimeout(r, 5));
    }
    const before = workers.map((w) => w.warnings.length);
    await redis.kill();
    revokeAll();
    const results = await running;
    expect(failed(results)).toEqual([]);
    expect(okCalls(results)).toBe(PROCESSES * CALLS);

    const revokedAgain = fake.issued.length;
    revokeAll();
    for (const w of workers) w.send(`run ${CALLS} still-down`);
    const down = await Promise.all(workers.map((w) => w.result('still-down')));
    expect(failed(down)).toEqual([]);
    // Each process reports the outage once, however many calls and refreshes it makes during it.
    // (A busy process may have reported a slow store earlier in the run, and its recovery.)
    workers.forEach((w, i) => {
      const since = w.warnings.slice(before[i]);
      expect(since.filter((m) => /unavailable/.test(m)).length, warnings()).toBeLessThanOrEqual(1);
      expect(w.warnings.at(-1), warnings()).toMatch(/unavailable/);
    });
    expect(fake.issued.length).toBeGreaterThan(revokedAgain);
  });

  it('Redis back: the fleet shares a token through it again', async () => {
    await redis.restart();
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      const deadline = Date.now() + 20_000;
      for (
        let round = 0;
        (await admin.keys('dwolla-openapi-client:token:*')).length === 0;
        round++
      ) {
        if (Date.now() > deadline) throw new Error('no token stored in Redis within 20 s');
        revokeAll();
        for (const w of workers) w.send(`run 10 back-${round}`);
        const results = await Promise.all(workers.map((w) => w.result(`back-${round}`)));
        expect(failed(results)).toEqual([]);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      admin.destroy();
    }
  });

  it('store.close() releases the connection: each process then ends by itself', async () => {
    for (const w of workers) w.send('exit');
    const codes = await Promise.all(
      workers.map((w) =>
        Promise.race([w.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]),
      ),
    );
    expect(codes).toEqual(workers.map(() => 0));
  });
});
