import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { hrefs } from '../helpers/hrefs.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, emulator, getToken, HAL } from './helpers.js';

/** Dwolla's API hosts, as its docs and spec examples name them. */
const DWOLLA_HOST = /^https?:\/\/api(-sandbox)?\.dwolla\.com(?=[/?#:]|$)/i;

async function started(): Promise<{ emu: Emulator; token: string }> {
  const emu = await emulator({ spec: UPSTREAM_SPEC, state: false }); // samples' ids
  return { emu, token: await getToken(emu.url) };
}

describe.skipIf(!HAS_UPSTREAM_SPEC)("links on Dwolla's upstream spec", () => {
  it('the root lists account, customers, events and webhook-subscriptions; following customers works', async () => {
    const { emu, token } = await started();
    const root = (await (await api(emu.url, token, '/')).json()) as {
      _links: Record<string, { href: string }>;
    };
    for (const rel of ['account', 'customers', 'events', 'webhook-subscriptions']) {
      expect(root._links[rel]?.href, rel).toMatch(new RegExp(`^${emu.url}/`));
    }
    const customers = await api(emu.url, token, root._links.customers!.href.slice(emu.url.length));
    expect(customers.status).toBe(200);
    const list = (await customers.json()) as { _embedded: { customers: unknown[] } };
    expect(list._embedded.customers.length).toBeGreaterThan(0);
    const account = await api(emu.url, token, root._links.account!.href.slice(emu.url.length));
    expect(account.status).toBe(200);
  });

  it("no href in the answers of 10 operations with links points at Dwolla's hosts", async () => {
    const { emu, token } = await started();
    const gets = emu.operations.filter((op) => op.method === 'get');
    const checked: string[] = [];
    for (const op of gets) {
      if (checked.length === 10) break;
      const sample = emu.sampleRequest(op.operationId);
      const query = new URLSearchParams(sample.query).toString();
      const response = await api(emu.url, token, sample.path + (query ? `?${query}` : ''), {
        headers: sample.headers,
      });
      expect(response.status, op.operationId).toBe(200);
      const links = hrefs(await response.json());
      if (links.length === 0) continue;
      checked.push(op.operationId);
      expect(
        links.filter((href) => DWOLLA_HOST.test(href)),
        op.operationId,
      ).toEqual([]);
      expect(
        links.some((href) => href.startsWith(`${emu.url}/`)),
        op.operationId,
      ).toBe(true);
    }
    expect(checked).toHaveLength(10);
  });

  it('initiating micro-deposits (no body) answers 201 with a Location; amounts answer 200', async () => {
    const { emu, token } = await started();
    const path = '/funding-sources/692486f8-29f6-4516-a6a5-c69fd2ce854c/micro-deposits';
    const initiate = await fetch(emu.url + path, {
      method: 'POST',
      headers: { accept: HAL, authorization: `Bearer ${token}` },
    });
    expect(initiate.status).toBe(201);
    expect(initiate.headers.get('location')).toBe(emu.url + path);
    expect(await initiate.text()).toBe('');

    const amount = { value: '0.03', currency: 'USD' };
    const verify = await api(emu.url, token, path, {
      body: { amount1: amount, amount2: amount },
      contentType: 'application/json',
    });
    expect(verify.status).toBe(200);
    expect(verify.headers.get('location')).toBeNull();
  });
});
