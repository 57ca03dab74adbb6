// The user's callbacks (hooks, the debug function, onWarning) never change a call's outcome and
// never leave an unhandled rejection, whether they throw or return a promise that rejects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY, SECRET } from '../auth/fake-dwolla.js';
import { runNode } from '../helpers/run-script.js';
import { startScriptedDwolla, status, type ScriptedDwolla } from './scripted-dwolla.js';

let fake: ScriptedDwolla;
beforeEach(async () => {
  fake = await startScriptedDwolla();
  // A 503, then the transfer is created.
  fake.script((n, _r, res) => {
    if (n === 0) return status(res, 503);
    res.writeHead(201, { Location: `${fake.origin}/transfers/t-1` });
    res.end();
  });
});
afterEach(() => fake.close());

const boom = (name: string) => () => {
  throw new Error(`${name} failed`);
};

describe('callbacks that fail', () => {
  it('hooks and a debug function that throw: the transfer is created and resolves; one warning per callback', async () => {
    const warnings: string[] = [];
    const dwolla = fake.client({
      hooks: { onAttempt: boom('onAttempt'), onResponse: boom('onResponse'), onRetry: boom('x') },
      debug: boom('debug'),
      onWarning: (message) => warnings.push(message),
    });
    const created = await dwolla.post('/transfers', { amount: 1 });
    expect(created.response.status).toBe(201);
    expect(created.location).toBe(`${fake.origin}/transfers/t-1`);
    expect(fake.apiRequests()).toHaveLength(2);
    // Each failing callback is named once, although onAttempt and onResponse ran twice.
    expect(warnings.sort()).toEqual([
      expect.stringMatching(/^dwolla-openapi-client: debug threw Error: debug failed; ignored/),
      expect.stringMatching(/^dwolla-openapi-client: hooks\.onAttempt threw Error: onAttempt/),
      expect.stringMatching(/^dwolla-openapi-client: hooks\.onResponse threw Error: onResponse/),
      expect.stringMatching(/^dwolla-openapi-client: hooks\.onRetry threw Error: x failed/),
    ]);
  });

  it('an onWarning that throws changes nothing either', async () => {
    const dwolla = fake.client({
      hooks: { onResponse: boom('onResponse') },
      onWarning: boom('onWarning'),
    });
    await expect(dwolla.post('/transfers', { amount: 1 })).resolves.toMatchObject({
      response: { status: 201 },
    });
  });

  it('an async hook that rejects, and a hook that throws a non-Error: named once each in a warning', async () => {
    const warnings: string[] = [];
    const dwolla = fake.client({
      hooks: {
        onAttempt: () => Promise.reject(new Error('async onAttempt rejected')),
        onResponse: () => {
          throw 'a bare string';
        },
      },
      onWarning: (message) => warnings.push(message),
    });
    await expect(dwolla.post('/transfers', { amount: 1 })).resolves.toMatchObject({
      response: { status: 201 },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warnings.sort()).toEqual([
      expect.stringMatching(/hooks\.onAttempt threw Error: async onAttempt rejected; ignored/),
      expect.stringMatching(/hooks\.onResponse threw a bare string; ignored/),
    ]);
  });

  it('async hooks, debug and onWarning that reject: the call resolves, the process exits 0 without an unhandled rejection', async () => {
    const program = `
      const { createDwollaClient } = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)});
      const reject = (name) => async () => { throw new Error(name + ' rejected'); };
      const dwolla = createDwollaClient({
        key: ${JSON.stringify(KEY)}, secret: ${JSON.stringify(SECRET)}, baseUrl: ${JSON.stringify(fake.origin)},
        hooks: { onAttempt: reject('onAttempt'), onResponse: reject('onResponse'), onRetry: reject('onRetry') },
        debug: reject('debug'),
        onWarning: reject('onWarning'),
      });
      const created = await dwolla.post('/transfers', { amount: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      console.log('created', created.response.status, created.location);
    `;
    const result = await runNode(['--import', 'tsx', '--input-type=module', '-e', program]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`created 201 ${fake.origin}/transfers/t-1`);
  });
});
