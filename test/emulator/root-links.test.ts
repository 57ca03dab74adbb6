import { describe, expect, it } from 'vitest';
import { halSpec } from './hal-spec.js';
import { api, emulator, getToken, HAL } from './helpers.js';

type Root = { _links: Record<string, { href: string; type?: string }> };

async function root(spec: object) {
  const emu = await emulator({ spec });
  const token = await getToken(emu.url);
  const response = await api(emu.url, token, '/');
  expect(response.status).toBe(200);
  return { emu, token, body: (await response.json()) as Root };
}

describe('GET /', () => {
  it('names the account and every collection the spec lets you GET, each on the emulator', async () => {
    const { emu, body } = await root(halSpec());
    expect(Object.keys(body._links).sort()).toEqual(['account', 'customers', 'events']);
    expect(body._links.customers).toEqual({
      href: `${emu.url}/customers`,
      type: HAL,
      'resource-type': 'customer',
    });
    expect(body._links.account!.href).toMatch(new RegExp(`^${emu.url}/accounts/[0-9a-f-]{36}$`));
  });

  it('every link of the root can be followed', async () => {
    const { emu, token, body } = await root(halSpec());
    for (const [rel, { href }] of Object.entries(body._links)) {
      const response = await api(emu.url, token, href.slice(emu.url.length));
      expect(response.status, `${rel}: ${href}`).toBe(200);
    }
  });

  it('names the same account every time, and no account when the spec has no GET /accounts/{id}', async () => {
    const { emu, token, body } = await root(halSpec());
    const again = (await (await api(emu.url, token, '/')).json()) as Root;
    expect(again._links.account!.href).toBe(body._links.account!.href);

    const without = await root(halSpec({ withAccount: false }));
    expect(Object.keys(without.body._links).sort()).toEqual(['customers', 'events']);
  });
});
