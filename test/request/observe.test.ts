// Hooks and the debug log: every attempt, response and retry, never a credential.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DwollaAttemptEvent, DwollaResponseEvent, DwollaRetryEvent } from '../../src/index.js';
import { KEY, SECRET } from '../auth/fake-dwolla.js';
import { sendJson } from '../helpers/recording-server.js';
import { ok, reset, startScriptedDwolla, status, type ScriptedDwolla } from './scripted-dwolla.js';

let fake: ScriptedDwolla;
beforeEach(async () => {
  fake = await startScriptedDwolla();
});
afterEach(() => fake.close());

describe('hooks', () => {
  it('report each attempt, response and retry with status, request id, elapsed time and reason', async () => {
    fake.script((n, _r, res) => {
      if (n === 0) return status(res, 429, { 'X-Request-Id': 'req-a' });
      if (n === 1) return reset(res);
      return sendJson(res, 201, {}, { 'X-Request-Id': 'req-c' });
    });
    const attempts: DwollaAttemptEvent[] = [];
    const responses: DwollaResponseEvent[] = [];
    const retries: DwollaRetryEvent[] = [];
    const dwolla = fake.client({
      random: () => 0.5,
      hooks: {
        onAttempt: (e) => attempts.push(e),
        onResponse: (e) => responses.push(e),
        onRetry: (e) => retries.push(e),
      },
    });
    await dwolla.post('/transfers', { a: 1 });
    const url = `${fake.origin}/transfers`;
    expect(attempts.map((e) => [e.method, e.url, e.attempt, e.replay, e.authorization])).toEqual([
      ['POST', url, 1, false, 'Bearer'],
      ['POST', url, 2, false, 'Bearer'],
      ['POST', url, 3, false, 'Bearer'],
    ]);
    expect(new Set(attempts.map((e) => e.idempotencyKey)).size).toBe(1);
    expect(responses.map((e) => [e.attempt, e.status, e.requestId])).toEqual([
      [1, 429, 'req-a'],
      [2, undefined, undefined],
      [3, 201, 'req-c'],
    ]);
    expect(responses[1]!.error).toMatch(/^DwollaNetworkError: /);
    for (const e of responses) expect(e.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(retries.map((e) => [e.attempt, e.reason, e.status, e.delayMs])).toEqual([
      [1, 'HTTP 429', 429, 250],
      [2, 'network error', undefined, 500],
    ]);
  });

  it('mark the 401 replay', async () => {
    fake.script((_n, _r, res) => ok(res));
    const responses: DwollaResponseEvent[] = [];
    const dwolla = fake.client({ hooks: { onResponse: (e) => responses.push(e) } });
    await dwolla.getAccessToken();
    fake.revoke('tok-1');
    await dwolla.get('/x');
    expect(responses.map((e) => [e.attempt, e.replay, e.status])).toEqual([
      [1, false, 401],
      [1, true, 200],
    ]);
  });
});

describe('debug log', () => {
  it('one line per attempt, Authorization as its scheme only', async () => {
    fake.script((n, _r, res) => (n === 0 ? status(res, 503) : ok(res)));
    const lines: string[] = [];
    await fake.client({ debug: (line) => lines.push(line) }).get('/customers');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^dwolla: GET ${fake.origin}/customers \\| attempt 1 \\| HTTP 503 \\| \\d+ ms \\| request-id - \\| auth Bearer$`,
      ),
    );
    expect(lines[1]).toMatch(/attempt 2 \| HTTP 200/);
    expect(lines.join('\n')).not.toContain('tok-1');
  });

  it('DWOLLA_DEBUG=1 switches it on without a code change (stderr of a child process)', async () => {
    fake.script((_n, _r, res) => ok(res));
    const program = `
      const { createDwollaClient } = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)});
      const dwolla = createDwollaClient({ key: ${JSON.stringify(KEY)}, secret: ${JSON.stringify(SECRET)}, baseUrl: ${JSON.stringify(fake.origin)} });
      await dwolla.post('/transfers', { a: 1 });
      await createDwollaClient({ key: 'k-quiet', secret: 's-quiet', baseUrl: ${JSON.stringify(fake.origin)}, debug: false }).getAccessToken().catch(() => {});
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', program],
      {
        env: { ...process.env, DWOLLA_DEBUG: '1' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^dwolla: POST .*\/transfers \| attempt 1 \| HTTP 200 .*\| auth Bearer \| idempotency-key [0-9a-f-]{36}$/,
    );
    expect(stderr).not.toContain('tok-');
    expect(stderr).not.toContain(SECRET);
  });
});
