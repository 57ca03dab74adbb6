// Property: over random per-attempt outcomes (429, 5xx, reset, hang, 2xx), a call makes at most
// maxRetries + 1 attempts, stops at the first 2xx, resolves only on a 2xx, keeps a POST's key
// constant, and its waits and total time are bounded.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DwollaApiError,
  DwollaNetworkError,
  DwollaTimeoutError,
  type DwollaClient,
} from '../../src/index.js';
import { sendJson } from '../helpers/recording-server.js';
import {
  hang,
  reset,
  startScriptedDwolla,
  status,
  type ScriptedDwolla,
} from './scripted-dwolla.js';

type Outcome = 429 | 500 | 502 | 503 | 504 | 'reset' | 'hang' | 200 | 201;
const OUTCOMES: Outcome[] = [429, 500, 502, 503, 504, 'reset', 'hang', 200, 201];
const isSuccess = (o: Outcome) => o === 200 || o === 201;
// Long enough that a loaded machine never turns a quick answer into a timeout; hangs are rarer
// than other outcomes so that the run stays short.
const TIMEOUT_MS = 1_000;
const outcome = fc.oneof(
  { arbitrary: fc.constantFrom(...OUTCOMES.filter((o) => o !== 'hang')), weight: 12 },
  { arbitrary: fc.constant<Outcome>('hang'), weight: 1 },
);

let fake: ScriptedDwolla;
let outcomes: Outcome[] = [];
beforeAll(async () => {
  fake = await startScriptedDwolla();
  fake.script((n, _r, res) => {
    const outcome = outcomes[n] ?? 200;
    if (outcome === 'reset') return reset(res);
    if (outcome === 'hang') return hang(res);
    if (isSuccess(outcome)) return sendJson(res, outcome, { n });
    return status(res, outcome);
  });
});
afterAll(() => fake.close());

describe('retry loop (property)', () => {
  it('holds over random sequences of per-attempt outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(outcome, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('GET', 'POST'),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (script, maxRetries, method, jitter) => {
          outcomes = script;
          fake.server.requests.length = 0;
          const waits: number[] = [];
          const dwolla: DwollaClient = fake.client({
            maxRetries,
            attemptTimeoutMs: TIMEOUT_MS,
            sleep: async (ms) => void waits.push(ms),
            random: () => jitter,
          });
          await dwolla.getAccessToken();
          const started = performance.now();
          const call = method === 'GET' ? dwolla.get('/x') : dwolla.post('/x', { amount: 1 });
          const result = await call.then(
            (r) => ({ ok: true as const, status: r.response.status }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          const elapsed = performance.now() - started;

          // The model: attempts until the first 2xx, or until retries run out.
          const firstSuccess = script.findIndex(isSuccess);
          const expectedAttempts = Math.min(
            firstSuccess === -1 ? Infinity : firstSuccess + 1,
            maxRetries + 1,
            script.length + 1, // past the script the server answers 200
          );
          const sent = fake.apiRequests();
          expect(sent.length).toBeLessThanOrEqual(maxRetries + 1);
          expect(sent).toHaveLength(expectedAttempts);
          const last: Outcome = script[expectedAttempts - 1] ?? 200;

          expect(result.ok).toBe(isSuccess(last));
          if (result.ok) expect(result.status).toBe(last);
          else if (last === 'reset') expect(result.error).toBeInstanceOf(DwollaNetworkError);
          else if (last === 'hang') expect(result.error).toBeInstanceOf(DwollaTimeoutError);
          else {
            expect(result.error).toBeInstanceOf(DwollaApiError);
            expect(result.error).toMatchObject({ status: last });
          }

          if (method === 'POST') {
            const keys = new Set(sent.map((r) => r.headers['idempotency-key']));
            expect(keys.size).toBe(1);
            expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
            expect(new Set(sent.map((r) => r.body))).toEqual(new Set(['{"amount":1}']));
          }

          // Waits: one per retry, full jitter below 500 ms · 2^n, so bounded in total.
          expect(waits).toHaveLength(expectedAttempts - 1);
          waits.forEach((ms, i) => expect(ms).toBeLessThan(500 * 2 ** i));
          // Time: every attempt is bounded by the timeout (generous slack for a shared machine).
          expect(elapsed).toBeLessThan((maxRetries + 1) * (TIMEOUT_MS + 2_000));
        },
      ),
      { numRuns: 60 },
    );
  });
});
