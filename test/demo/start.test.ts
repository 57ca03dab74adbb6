import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script.js';

const withoutDwolla = () => {
  const env = { ...process.env };
  delete env.DWOLLA_KEY;
  delete env.DWOLLA_SECRET;
  delete env.DWOLLA_ENVIRONMENT;
  return env;
};

describe('npm start', () => {
  it('runs on the built-in emulator without credentials: 20 calls, 1 token request', async () => {
    const result = await runScript('demo/main.ts', [], withoutDwolla());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^Dwolla client demo, on the built-in emulator at http:\/\/127\.0\.0\.1:\d+ /,
    );
    expect(lines[1]).toBe(
      'GET / → 200: links to account, customers, events, webhook-subscriptions',
    );
    expect(lines[2]).toMatch(
      /^20 calls \(10 at once on a cold client, then 10 in a row\) in \d+ ms$/,
    );
    expect(lines[3]).toMatch(
      /^1 token request for 20 calls; the token has (59 min \d+|60 min 0) s of life left$/,
    );
  });

  it('refuses a partial set of Dwolla credentials, naming the variables', async () => {
    const result = await runScript('demo/main.ts', [], { ...withoutDwolla(), DWOLLA_KEY: 'k' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Set all of DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT, or none',
    );
  });

  it('names the option when DWOLLA_ENVIRONMENT is not one Dwolla has', async () => {
    const env = {
      ...withoutDwolla(),
      DWOLLA_KEY: 'k',
      DWOLLA_SECRET: 's',
      DWOLLA_ENVIRONMENT: 'staging',
    };
    const result = await runScript('demo/main.ts', [], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^TypeError: .*environment/m);
  });
});
