import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { runScript } from '../helpers/run-script.js';

const withoutDwolla = () => {
  const env = { ...process.env };
  delete env.DWOLLA_KEY;
  delete env.DWOLLA_SECRET;
  delete env.DWOLLA_ENVIRONMENT;
  delete env.DWOLLA_BASE_URL;
  delete env.DWOLLA_DEBUG;
  return env;
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('npm start', () => {
  it('tells the whole story on the built-in emulator: customers, money, a return, signed webhooks, events', async () => {
    const result = await runScript('demo/main.ts', [], withoutDwolla());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^Dwolla sandbox demo, on the built-in emulator at http:\/\/127\.0\.0\.1:\d+ \(set DWOLLA_KEY/,
    );
    const story = [
      `1\\. Subscribed the webhook receiver at http://127\\.0\\.0\\.1:\\d+/dwolla-webhooks: /webhook-subscriptions/${UUID}`,
      `2\\. Created customer Jane Doe \\(verified\\): /customers/${UUID}`,
      `2\\. Created customer Bob Roe \\(unverified\\): /customers/${UUID}`,
      `3\\. Added funding source "Jane's Checking" \\(unverified\\) to Jane: /funding-sources/${UUID}`,
      `3\\. Added funding source "Bob's Checking" \\(unverified\\) to Bob: /funding-sources/${UUID}`,
      `3\\. Added funding source "R03" \\(unverified\\) to Bob: /funding-sources/${UUID}`,
      `4\\. Verified "Jane's Checking" with micro-deposits: verified`,
      `5\\. Initiated a transfer of 25\\.00 USD from Jane to Bob: /transfers/${UUID} \\(pending\\)`,
      `5\\. Initiated a transfer of 10\\.00 USD from Jane to Bob's "R03": /transfers/${UUID} \\(pending\\)`,
      '6\\. Simulated processing twice: the transfer is processed',
      '7\\. The transfer to "R03" failed: R03 No Account/Unable to Locate Account; the bank is removed: true',
    ];
    story.forEach((pattern, i) => expect(lines[i + 1]).toMatch(new RegExp(`^${pattern}$`)));

    // The webhooks: each signed, counted by topic, among them the unhappy path's.
    const count = /^8\. Received (\d+) webhooks, (\d+) with a valid signature:$/.exec(lines[12]!);
    expect(count, lines[12]).not.toBeNull();
    expect(count![2]).toBe(count![1]);
    const tally = lines
      .slice(13)
      .filter((l) => l.startsWith('   '))
      .map((l) => /^ {3}(\w+)(?: x(\d+))?$/.exec(l)!)
      .map((m) => [m[1], Number(m[2] ?? 1)] as const);
    expect(tally.reduce((sum, [, n]) => sum + n, 0)).toBe(Number(count![1]));
    expect(Object.fromEntries(tally)).toMatchObject({
      customer_created: 2,
      customer_verified: 1, // Jane, a personal customer, is verified (Dwolla's Sandbox)
      customer_funding_source_added: 3,
      customer_microdeposits_added: 1,
      customer_funding_source_verified: 1,
      customer_transfer_created: 4,
      customer_transfer_completed: 2,
      customer_transfer_failed: 2,
      customer_funding_source_removed: 1,
    });

    // The event log, newest first: the return, then the transfer that went through.
    const pages = lines.filter((l) => l.startsWith('9. Events page '));
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatch(
      /^9\. Events page 1 of \d+: customer_funding_source_removed, customer_transfer_failed, customer_transfer_failed, customer_transfer_completed, customer_transfer_completed$/,
    );
    expect(pages[1]).toMatch(/^9\. Events page 2 of \d+: /);
    expect(lines.at(-2)).toMatch(
      /^10\. The sandbox dashboard: http:\/\/127\.0\.0\.1:\d+\/_dashboard$/,
    );
    expect(lines.at(-1)).toMatch(/^\d+ API calls, 1 token request$/);
  });

  it('refuses a partial set of Dwolla credentials, naming the variables', async () => {
    const result = await runScript('demo/main.ts', [], { ...withoutDwolla(), DWOLLA_KEY: 'k' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Set all of DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT (or DWOLLA_BASE_URL), or none',
    );
  });

  it("tells the same story with DWOLLA_* set, on a Dwolla stand-in at DWOLLA_BASE_URL, minus the emulator's own steps", async () => {
    // A separately started emulator plays Dwolla's sandbox: the demo only sees its URL and keys.
    const key = `sandbox-key-${randomBytes(6).toString('hex')}`;
    const secret = `sandbox-secret-${randomBytes(12).toString('hex')}`;
    const dwolla = await startEmulator({
      key,
      secret,
      spec: new URL('../../demo/demo-spec.yaml', import.meta.url),
    });
    try {
      const env = {
        ...withoutDwolla(),
        DWOLLA_KEY: key,
        DWOLLA_SECRET: secret,
        DWOLLA_BASE_URL: dwolla.url,
      };
      const [online, offline] = await Promise.all([
        runScript('demo/main.ts', [], env),
        runScript('demo/main.ts', [], withoutDwolla()),
      ]);
      expect(online.stderr).toBe('');
      expect(online.code).toBe(0);
      const lines = online.stdout.trim().split('\n');
      expect(lines[0]).toBe(`Dwolla sandbox demo, on the Dwolla API at ${dwolla.url}`);
      expect(lines[1]).toBe(
        '1. Webhook receiver: skipped (Dwolla cannot reach a receiver on this machine)',
      );
      expect(lines[12]).toBe(
        '8. Webhooks: skipped (Dwolla cannot reach a receiver on this machine)',
      );

      // The same text as offline, once ids, ports and the call count are masked, but for the
      // steps only the emulator can do: subscribing a local receiver and the webhooks it got.
      const mask = (line: string) =>
        line
          .replace(new RegExp(UUID, 'g'), '<id>')
          .replace(/http:\/\/127\.0\.0\.1:\d+/g, '<origin>')
          .replace(/^\d+ API calls/, '<n> API calls');
      const emulatorOnly =
        /^(1\. Subscribed|8\. Received| {3}\w+( x\d+)?$|10\. The sandbox dashboard)/;
      const expected = offline.stdout
        .trim()
        .split('\n')
        .slice(1)
        .filter((l) => !emulatorOnly.test(l));
      const told = lines.slice(1).filter((l) => !/: skipped \(Dwolla cannot reach/.test(l));
      expect(told.map(mask)).toEqual(expected.map(mask));
      expect(told).toHaveLength(13);

      // What it did, it did on the stand-in; no secret or token is ever printed.
      const calls = dwolla.requests();
      expect(calls.filter((r) => r.path === '/token')).toHaveLength(1);
      expect(calls.some((r) => r.method === 'POST' && r.path === '/transfers')).toBe(true);
      const printed = online.stdout + online.stderr;
      expect(printed).not.toContain(secret);
      expect(printed).not.toContain(Buffer.from(`${key}:${secret}`).toString('base64'));
      expect(printed).not.toMatch(/[A-Za-z0-9_-]{40,}/); // tokens are 48 such characters
    } finally {
      await dwolla.close();
    }
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
