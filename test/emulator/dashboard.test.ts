/**
 * The sandbox dashboard over plain HTTP (the browser test is dashboard-browser.test.ts): who may
 * read it, who may press its buttons, and that it stays out of the API's log and counts.
 */
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { api, bank, emulator, getToken, KEY, person, SECRET, verifyBank } from './helpers.js';

const DEMO_SPEC = new URL('../../demo/demo-spec.yaml', import.meta.url);

/** A pending transfer between two new customers' banks, on the demo spec. */
async function pendingTransfer(emu: Emulator, token: string) {
  const create = async (path: string, body: unknown) => {
    const response = await api(emu.url, token, path, { body });
    expect(response.status, await response.clone().text()).toBe(201);
    return new URL(response.headers.get('location')!).pathname;
  };
  const from = await create('/customers', person('a'));
  const to = await create('/customers', person('b'));
  const source = await create(`${from}/funding-sources`, bank('From'));
  await verifyBank(emu, token, source);
  const transfer = await create('/transfers', {
    _links: {
      source: { href: emu.url + source },
      destination: { href: emu.url + (await create(`${to}/funding-sources`, bank('To'))) },
    },
    amount: { currency: 'USD', value: '5.00' },
  });
  const status = async () =>
    ((await (await api(emu.url, token, transfer)).json()) as { status: string }).status;
  return { transfer, status };
}

const press = (dashboard: string, button: string, headers: Record<string, string> = {}) =>
  fetch(`${dashboard}/${button}`, { method: 'POST', headers, redirect: 'manual' });

const basicAuth = (user: string, password: string) =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

describe('the sandbox dashboard over HTTP', () => {
  it('is served beside the API, needs no token on loopback, and is never logged or counted', async () => {
    const emu = await emulator({ spec: DEMO_SPEC });
    const token = await getToken(emu.url);
    const before = { stats: emu.stats(), requests: emu.requests().length };
    expect(emu.dashboardUrl).toBe(`${emu.url}/_dashboard`);

    const page = await fetch(emu.dashboardUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('Process bank transfers');
    // The token request is in the log as the log keeps it: its token never is.
    expect(html).toContain('[redacted]');
    expect(html).not.toContain(token);
    for (const asset of ['dashboard.css', 'dashboard.js']) {
      const response = await fetch(`${emu.dashboardUrl}/${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length, asset).toBeGreaterThan(500);
    }
    expect(emu.stats()).toEqual(before.stats);
    expect(emu.requests()).toHaveLength(before.requests);
  });

  it('answers a page it already sent with 304, and only the methods each path takes', async () => {
    const emu = await emulator({ spec: DEMO_SPEC });
    const first = await fetch(emu.dashboardUrl);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(emu.dashboardUrl, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    await api(emu.url, undefined, '/customers'); // a logged request changes the page
    const changed = await fetch(emu.dashboardUrl, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);

    expect((await fetch(emu.dashboardUrl, { method: 'HEAD' })).status).toBe(200);
    const posted = await fetch(emu.dashboardUrl, { method: 'POST', headers: { origin: emu.url } });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    const got = await fetch(`${emu.dashboardUrl}/process`);
    expect(got.status).toBe(405);
    expect(got.headers.get('allow')).toBe('POST');
    expect((await fetch(`${emu.dashboardUrl}/`)).status).toBe(200);
    for (const name of ['nothing', 'toString', '__proto__', 'constructor', '..%2fpackage.json']) {
      expect((await fetch(`${emu.dashboardUrl}/${name}`)).status, name).toBe(404);
    }
    expect((await fetch(`${emu.url}/_dashboards`)).status).toBe(404); // the API's 404
  });

  it('refuses a button POST that does not come from its own page, and takes one that does', async () => {
    const emu = await emulator({ spec: DEMO_SPEC });
    const token = await getToken(emu.url);
    const { status } = await pendingTransfer(emu, token);
    const customers = async () =>
      ((await (await api(emu.url, token, '/customers')).json()) as { total: number }).total;
    const refusals: Record<string, string>[] = [
      {}, // no Origin: not a browser's form or script
      { origin: 'http://evil.example' },
      { origin: 'null' }, // a sandboxed frame, a data: URL
      { origin: emu.url.replace('127.0.0.1', 'localhost') }, // another origin of this host
      { origin: emu.url, 'sec-fetch-site': 'cross-site' },
      { origin: emu.url, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of refusals) {
      for (const button of ['process', 'reset']) {
        const refused = await press(emu.dashboardUrl, button, headers);
        expect(refused.status, JSON.stringify({ button, headers })).toBe(403);
        expect(await refused.text()).toContain('same origin');
      }
    }
    expect(await status()).toBe('pending');
    expect(await customers()).toBe(2);

    const processed = await press(emu.dashboardUrl, 'process', {
      origin: emu.url,
      'sec-fetch-site': 'same-origin',
    });
    expect(processed.status).toBe(303);
    expect(processed.headers.get('location')).toBe('/_dashboard');
    expect(await status()).toBe('processed');
    expect((await press(emu.dashboardUrl, 'reset', { origin: emu.url })).status).toBe(303);
    expect(await customers()).toBe(0);
  });

  it('answers loopback host names only, so that another site renaming 127.0.0.1 reads nothing', async () => {
    const emu = await emulator({ spec: DEMO_SPEC });
    const port = new URL(emu.url).port;
    const { request } = await import('node:http');
    const get = (host: string) =>
      new Promise<number>((done, fail) => {
        const req = request(emu.dashboardUrl, { headers: { host } }, (res) => {
          res.resume();
          done(res.statusCode!);
        });
        req.on('error', fail).end();
      });
    expect(await get(`evil.example:${port}`)).toBe(403);
    expect(await get(`localhost:${port}`)).toBe(200);
    expect(await get(`[::1]:${port}`)).toBe(200);
    expect(await get(`127.0.0.1:${port}`)).toBe(200);
  });

  it("asks for the emulator's key and secret when it listens on another interface", async () => {
    const emu = await emulator({ spec: DEMO_SPEC, host: '0.0.0.0' });
    const local = emu.dashboardUrl.replace('0.0.0.0', '127.0.0.1');
    const origin = new URL(local).origin;
    const without = await fetch(local);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(local, { headers: { authorization: basicAuth(KEY, 'nope') } });
    expect(wrong.status).toBe(401);
    const authorization = basicAuth(KEY, SECRET);
    expect((await fetch(local, { headers: { authorization } })).status).toBe(200);
    expect((await fetch(`${local}/dashboard.js`)).status).toBe(401);
    expect((await press(local, 'reset', { origin })).status).toBe(401);
    const crossSite = await press(local, 'reset', { authorization, origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await press(local, 'reset', { authorization, origin })).status).toBe(303);
  });

  it('shows the request log alone, and cannot process, when the emulator keeps no state', async () => {
    const emu = await emulator({ spec: DEMO_SPEC, state: false });
    await api(emu.url, undefined, '/customers');
    const html = await (await fetch(emu.dashboardUrl)).text();
    expect(html).toContain('keeps no state');
    expect(html).not.toContain('id="customers"');
    expect(html).toContain('/customers');
    expect(html).toMatch(/<button[^>]*\sdisabled/);
    expect((await press(emu.dashboardUrl, 'process', { origin: emu.url })).status).toBe(409);
  });
});
