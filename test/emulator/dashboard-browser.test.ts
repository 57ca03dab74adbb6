/**
 * The sandbox dashboard in a real browser (Debian's Chromium through playwright-core, the same
 * setup as scripts/dashboard-screenshot.ts), on Dwolla's full spec: it shows what an integration
 * made, its "Process bank transfers" button processes a pending transfer and the webhook
 * delivery appears, values from requests are text, and another site cannot press its buttons.
 * One browser for the file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, CHROMIUM_PATH } from '../../scripts/chromium.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, bank, getToken, KEY, person, SECRET, verifyBank } from './helpers.js';

if (!hasChromium() && process.env.CI) {
  throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
}

/** A customer name that would run script if the page put it in as markup. */
const HOSTILE_NAME = '<img src=x onerror="window.__pwned = 1">';
/** A funding source name that would close an attribute and open an element. */
const HOSTILE_BANK = '"><svg onload="window.__pwned = 2">';
/** How long a change may take to show: the page polls every 1.5 s, on a loaded machine. */
const LIVE = { timeout: 15_000 };

describe.skipIf(!hasChromium() || !HAS_UPSTREAM_SPEC)('the sandbox dashboard in Chromium', () => {
  let browser: Browser;
  let emu: Emulator;
  let receiver: RecordingServer;
  let token: string;

  const call = async (path: string, body?: unknown) => {
    const response = await api(emu.url, token, path, { body });
    if (response.status >= 300)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  const create = async (path: string, body: unknown) =>
    (await call(path, body)).headers.get('location')!;
  const read = async (href: string) =>
    (await (await api(emu.url, token, new URL(href).pathname)).json()) as Record<string, unknown>;
  const idOf = (href: string) => href.split('/').pop()!;
  /** A pending transfer between two new customers' banks. */
  async function pendingTransfer(n: number, value: string) {
    const from = await create('/customers', person(`${n}a`));
    const to = await create('/customers', person(`${n}b`));
    const source = await create(`${new URL(from).pathname}/funding-sources`, bank(`From ${n}`));
    await verifyBank(emu, token, source);
    const destination = await create(`${new URL(to).pathname}/funding-sources`, bank(`To ${n}`));
    const transfer = await create('/transfers', {
      _links: { source: { href: source }, destination: { href: destination } },
      amount: { currency: 'USD', value },
    });
    expect((await read(transfer)).status).toBe('pending');
    return { from, to, source, destination, transfer };
  }

  async function open(url: string, options: Parameters<Browser['newPage']>[0] = {}) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(url);
    return { page, problems };
  }
  const overflows = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

  beforeAll(async () => {
    [browser, emu, receiver] = await Promise.all([
      launchChromium(),
      startEmulator({ key: KEY, secret: SECRET, spec: UPSTREAM_SPEC }),
      startRecordingServer((_request, res) => res.end()),
    ]);
    token = await getToken(emu.url);
    await create('/webhook-subscriptions', { url: receiver.url('/hooks'), secret: 'hook secret' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emu?.close();
    await receiver?.close();
  });

  it('refuses a POST to its buttons from another origin', async () => {
    const { transfer, from } = await pendingTransfer(1, '1.00');
    // Another site, on another port of the same host: a form that posts itself to each button.
    const attacker: Server = createServer((req, res) => {
      const button = req.url === '/reset' ? 'reset' : 'process';
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<form method="post" action="${emu.dashboardUrl}/${button}"></form>` +
          '<script>document.forms[0].submit()</script>',
      );
    });
    await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
    const elsewhere = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    try {
      const page = await browser.newPage();
      for (const button of ['process', 'reset']) {
        const answered = page.waitForResponse((r) => r.url().endsWith(`/_dashboard/${button}`));
        await page.goto(`${elsewhere}/${button}`);
        expect((await answered).status()).toBe(403);
      }
      await page.close();
    } finally {
      attacker.closeAllConnections();
      await new Promise((done) => attacker.close(done));
    }
    // Nothing was pressed: the transfer still waits, the customer is still there.
    expect((await read(transfer)).status).toBe('pending');
    expect((await api(emu.url, token, new URL(from).pathname)).status).toBe(200);
  });

  it('shows customers, funding sources and a pending transfer; its button processes it, and the webhook delivery appears', async () => {
    const { transfer, source, from } = await pendingTransfer(2, '12.34');
    const { page, problems } = await open(emu.dashboardUrl);
    const row = page.locator(`[id="transfers-${idOf(transfer)}"]`);
    expect(await row.textContent()).toContain('12.34 USD');
    expect(await row.locator('.status').textContent()).toBe('pending');
    expect(await row.textContent()).toContain('From 2');
    expect(await row.textContent()).toContain('To 2');
    expect(await page.locator('#customers').textContent()).toContain('Ann2a Lee');
    const fundingSource = page.locator(`[id="funding-sources-${idOf(source)}"]`);
    expect(await fundingSource.textContent()).toContain('Ann2a Lee');
    expect(await overflows(page)).toBe(false);

    // Without a reload: a customer created now appears.
    await create('/customers', { ...person('Live'), firstName: 'Livia' });
    await expect.poll(() => page.locator('#customers').textContent(), LIVE).toContain('Livia Lee');

    await page.getByRole('button', { name: 'Process bank transfers' }).click();
    await expect.poll(() => row.locator('.status').textContent(), LIVE).toBe('processed');
    expect((await read(transfer)).status).toBe('processed'); // the API agrees
    const delivery = page.locator('#webhooks tbody tr', { hasText: 'transfer_completed' }).first();
    await expect.poll(() => delivery.count(), LIVE).toBe(1);
    await expect.poll(() => delivery.textContent(), LIVE).toContain('✓ verified');
    expect(await delivery.locator('[data-label="Status code"]').textContent()).toBe('200');
    expect(await delivery.locator('[data-label="Attempts"]').textContent()).toBe('1');
    expect(
      receiver.requests.some((r) => r.headers['x-dwolla-topic'] === 'customer_transfer_completed'),
    ).toBe(true);

    // Rows link to each other: the transfer's customer, the delivery's event.
    await row.getByRole('link', { name: 'Ann2a Lee' }).click();
    expect(new URL(page.url()).hash).toBe(`#customers-${idOf(from)}`);
    await delivery.getByRole('link', { name: 'event' }).click();
    const target = new URL(page.url()).hash.slice(1);
    expect(target).toMatch(/^events-/);
    expect(await page.locator(`[id="${target}"]`).textContent()).toContain('transfer_completed');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a customer named like markup as text, and runs nothing', async () => {
    // Dwolla refuses markup in a person's names; a business name takes it (and the page shows it).
    const customer = await create('/customers', { ...person('X'), businessName: HOSTILE_NAME });
    await create(`${new URL(customer).pathname}/funding-sources`, bank(HOSTILE_BANK));
    const { page, problems } = await open(emu.dashboardUrl);
    const row = page.locator(`[id="customers-${idOf(customer)}"]`);
    expect(await row.locator('[data-label="Name"]').textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('#funding-sources').textContent()).toContain(HOSTILE_BANK);
    // Also once the script has swapped in a fresh copy.
    await create('/customers', { ...person('Y'), businessName: HOSTILE_NAME });
    await expect
      .poll(
        () => page.locator('#customers [data-label="Name"]', { hasText: 'onerror' }).count(),
        LIVE,
      )
      .toBe(2);
    expect(await page.evaluate(() => document.querySelectorAll('img, svg').length)).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads without JavaScript on a phone, and its buttons work as plain forms', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const { transfer } = await pendingTransfer(3, '3.00');
    const page = await context.newPage();
    await page.goto(emu.dashboardUrl);
    expect(await page.locator('#customers').textContent()).toContain('Ann3a Lee');
    expect(await overflows(page)).toBe(false);
    const pressed = page.waitForResponse((r) => r.url().endsWith('/_dashboard/process'));
    await page.getByRole('button', { name: 'Process bank transfers' }).click();
    expect((await pressed).status()).toBe(303);
    await page.waitForURL(emu.dashboardUrl);
    const row = page.locator(`[id="transfers-${idOf(transfer)}"]`);
    expect(await row.locator('.status').textContent()).toBe('processed');

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForURL(emu.dashboardUrl);
    expect(await page.locator('#customers').textContent()).toContain('No customers yet.');
    const customers = await (await api(emu.url, token, '/customers')).json();
    expect(customers).toMatchObject({ total: 0 });
    await context.close();
  });
});
