/**
 * `npm run dashboard:screenshot [-- <spec> <out.png>]`: the docs' picture of the sandbox
 * dashboard. Starts the emulator on Dwolla's spec (default ../shared/upstream/dwolla-openapi.yml),
 * tells a short story through the package's client (a webhook receiver, three customers, their
 * banks verified with micro-deposits, a processed transfer, a failing one (R01) and a pending
 * one), and photographs the page in the same Chromium setup as its browser test
 * (scripts/chromium.ts). Writes docs/dashboard.png by default; run by hand, never by the tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createDwollaClient } from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { launchChromium } from './chromium.js';

const [spec = '../shared/upstream/dwolla-openapi.yml', out = 'docs/dashboard.png'] =
  process.argv.slice(2);

async function main(): Promise<void> {
  const credentials = { key: 'screenshot-key', secret: 'screenshot-secret' };
  const emu = await startEmulator({ ...credentials, spec: resolve(spec) });
  const receiver = createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/dwolla-webhooks`;
  const browser = await launchChromium();
  try {
    const dwolla = createDwollaClient({ ...credentials, baseUrl: emu.url });
    const created = async (path: string, body: unknown) =>
      (await dwolla.post(path, body)).response.headers.get('location')!;
    await created('/webhook-subscriptions', { url: hooks, secret: 'a webhook secret' });
    const customer = (firstName: string, lastName: string) =>
      created('/customers', {
        firstName,
        lastName,
        email: `${firstName.toLowerCase()}@example.com`,
        type: 'unverified',
      });
    const bank = (owner: string, name: string, accountNumber: string) =>
      created(`${new URL(owner).pathname}/funding-sources`, {
        routingNumber: '222222226',
        accountNumber,
        bankAccountType: 'checking',
        name,
      });
    const transfer = (source: string, destination: string, value: string) =>
      created('/transfers', {
        _links: { source: { href: source }, destination: { href: destination } },
        amount: { currency: 'USD', value },
      });
    // A bank sends once verified: the Sandbox takes any two micro-deposits under $0.10.
    const verify = async (fs: string) => {
      const cents = { value: '0.03', currency: 'USD' };
      await dwolla.post(`${new URL(fs).pathname}/micro-deposits`);
      await dwolla.post(`${new URL(fs).pathname}/micro-deposits`, {
        amount1: cents,
        amount2: cents,
      });
    };
    const jane = await customer('Jane', 'Doe');
    const bob = await customer('Bob', 'Roe');
    const ann = await customer('Ann', 'Lee');
    const janes = await bank(jane, "Jane's Checking", '123456789');
    const bobs = await bank(bob, "Bob's Checking", '987654321');
    const returns = await bank(ann, 'R01', '555555555');
    for (const fs of [janes, bobs, returns]) await verify(fs);
    await transfer(janes, bobs, '25.00');
    await transfer(returns, bobs, '10.00');
    await dwolla.post('/sandbox-simulations', {});
    await transfer(bobs, janes, '7.50');
    await emu.webhooksSettled();

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(emu.dashboardUrl);
    await page.screenshot({ path: out });
    console.log(`Wrote ${out}`);
  } finally {
    await browser.close();
    receiver.closeAllConnections();
    receiver.close();
    await emu.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
