import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script.js';

const withoutDwolla = () => {
  const env = { ...process.env };
  delete env.DWOLLA_KEY;
  delete env.DWOLLA_SECRET;
  delete env.DWOLLA_ENVIRONMENT;
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
    expect(lines[8]).toBe('6. Received 6 webhooks:');

    const about = (line: string) => /^ {3}(\w+): signature verified, about (\S+)$/.exec(line);
    const webhooks = lines.slice(9, 15).map(about);
    expect(webhooks.every(Boolean), lines.slice(9, 15).join('\n')).toBe(true);
    const topics = [
      'customer_created',
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

    // The event log pages, newest first, hold the same six events.
    expect(lines[15]).toBe(
      '7. Events page 1 of 2: transfer_completed, transfer_created, customer_funding_source_added',
    );
    expect(lines[16]).toBe(
      '7. Events page 2 of 2: customer_funding_source_added, customer_created, customer_created',
    );
    expect(lines[17]).toMatch(/^\d+ API calls, 1 token request$/);
    expect(lines).toHaveLength(18);
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
