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
  it('tells the whole story on the built-in emulator: customers, money, signed webhooks, events', async () => {
    const result = await runScript('demo/main.ts', [], withoutDwolla());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^Dwolla sandbox demo, on the built-in emulator at http:\/\/127\.0\.0\.1:\d+ \(set DWOLLA_KEY/,
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^1\\. Subscribed the webhook receiver at http://127\\.0\\.0\\.1:\\d+/dwolla-webhooks: /webhook-subscriptions/${UUID}$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^2\\. Created customer Jane Doe \\(verified\\): /customers/${UUID}$`),
    );
    expect(lines[3]).toMatch(
      new RegExp(`^2\\. Created customer Bob Roe \\(unverified\\): /customers/${UUID}$`),
    );
    expect(lines[4]).toMatch(
      new RegExp(
        `^3\\. Added funding source "Jane's Checking" \\(unverified\\) to Jane: /funding-sources/${UUID}$`,
      ),
    );
    expect(lines[5]).toMatch(
      new RegExp(
        `^3\\. Added funding source "Bob's Checking" \\(unverified\\) to Bob: /funding-sources/${UUID}$`,
      ),
    );
    const transfer = new RegExp(
      `^4\\. Initiated a transfer of 25\\.00 USD from Jane to Bob: (/transfers/${UUID}) \\(pending\\)$`,
    ).exec(lines[6]!)?.[1];
    expect(transfer, lines[6]).toBeDefined();
    expect(lines[7]).toBe('5. Simulated processing: the transfer is processed');
    expect(lines[8]).toBe('6. Received 7 webhooks:');

    const about = (line: string) => /^ {3}(\w+): signature verified, about (\S+)$/.exec(line);
    const webhooks = lines.slice(9, 16).map(about);
    expect(webhooks.every(Boolean), lines.slice(9, 16).join('\n')).toBe(true);
    const topics = [
      'customer_created',
      'customer_verified', // Jane, a personal customer, is verified (Dwolla's Sandbox)
      'customer_created',
      'customer_funding_source_added',
      'customer_funding_source_added',
      'transfer_created',
      'transfer_completed',
    ];
    expect(webhooks.map((w) => w![1]).sort()).toEqual([...topics].sort());
    const aboutTransfer = webhooks.filter((w) => w![1]!.startsWith('transfer_')).map((w) => w![2]);
    expect(aboutTransfer).toEqual([transfer, transfer]);
    const customers = [lines[2], lines[3]].map((l) => l!.split(': ')[1]);
    expect(
      webhooks
        .filter((w) => w![1] === 'customer_created')
        .map((w) => w![2])
        .sort(),
    ).toEqual(customers.sort());

    // The event log pages, newest first, hold the same seven events.
    expect(lines[16]).toBe(
      '7. Events page 1 of 3: transfer_completed, transfer_created, customer_funding_source_added',
    );
    expect(lines[17]).toBe(
      '7. Events page 2 of 3: customer_funding_source_added, customer_created, customer_verified',
    );
    expect(lines[18]).toBe('7. Events page 3 of 3: customer_created');
    expect(lines.at(-2)).toMatch(
      /^8\. The sandbox dashboard: http:\/\/127\.0\.0\.1:\d+\/_dashboard$/,
    );
    expect(lines.at(-1)).toMatch(/^\d+ API calls, 1 token request$/);
    expect(lines).toHaveLength(21);
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
      expect(lines[8]).toBe(
        '6. Webhooks: skipped (Dwolla cannot reach a receiver on this machine)',
      );

      // The same text as offline, once ids, ports and the call count are masked, but for the
      // steps only the emulator can do: subscribing a local receiver and the webhooks it got.
      const mask = (line: string) =>
        line
          .replace(new RegExp(UUID, 'g'), '<id>')
          .replace(/http:\/\/127\.0\.0\.1:\d+/g, '<origin>')
          .replace(/^\d+ API calls/, '<n> API calls');
      const emulatorOnly =
        /^(1\. Subscribed|6\. Received| {3}\w+: signature|8\. The sandbox dashboard)/;
      const expected = offline.stdout
        .trim()
        .split('\n')
        .slice(1)
        .filter((l) => !emulatorOnly.test(l));
      const told = lines.slice(1).filter((l) => !/: skipped \(Dwolla cannot reach/.test(l));
      expect(told.map(mask)).toEqual(expected.map(mask));
      expect(told).toHaveLength(10);

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
