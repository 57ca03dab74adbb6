import { describe, expect, it } from 'vitest';
import { dwollaApiHosts, rewriteHrefs } from '../../src/emulator/answer/links.js';
import { hrefs } from '../helpers/hrefs.js';
import { halSpec, PARTNER_HREF, SERVER_HOST } from './hal-spec.js';
import { api, emulator, getToken } from './helpers.js';

type Links = Record<string, { href: string }>;
type Listed = { _links: Links; _embedded: { customers: { _links: Links; name: string }[] } };

describe('rewriteHrefs', () => {
  const hosts = dwollaApiHosts([{ url: `https://${SERVER_HOST}` }, { url: '/relative' }]);
  const origin = 'http://127.0.0.1:4010';

  it("moves hrefs on Dwolla's hosts (any scheme, bare host, the spec's servers) onto the origin, keeping the rest", () => {
    const body = {
      _links: {
        a: { href: 'https://api.dwolla.com/customers/c1?limit=2&offset=4' },
        b: { href: 'http://API-SANDBOX.dwolla.com:443/transfers/t1#x' },
        c: { href: 'https://api.dwolla.com' },
        d: { href: `https://${SERVER_HOST}/events` },
      },
      _embedded: { items: [{ _links: { self: { href: 'https://api.dwolla.com/items/i1' } } }] },
    };
    expect(rewriteHrefs(body, origin, hosts)).toEqual({
      _links: {
        a: { href: `${origin}/customers/c1?limit=2&offset=4` },
        b: { href: `${origin}/transfers/t1#x` },
        c: { href: origin },
        d: { href: `${origin}/events` },
      },
      _embedded: { items: [{ _links: { self: { href: `${origin}/items/i1` } } }] },
    });
  });

  it('keeps links to other hosts, relative hrefs and every member that is not an href', () => {
    const body = {
      _links: {
        partner: { href: PARTNER_HREF },
        docs: { href: 'https://developers.dwolla.com/docs' },
        lookalike: { href: 'https://api.dwolla.com.evil.example/x' },
        relative: { href: '/customers' },
        app: { href: 'com.example.app123' },
      },
      url: 'https://api.dwolla.com/customers',
      list: ['https://api.dwolla.com/x', 3, null],
    };
    expect(rewriteHrefs(body, origin, hosts)).toEqual(body);
  });

  it('does not change its input', () => {
    const body = { _links: { self: { href: 'https://api.dwolla.com/a' } } };
    const copy = structuredClone(body);
    const out = rewriteHrefs(body, origin, hosts);
    expect(body).toEqual(copy);
    expect(out._links.self.href).toBe(`${origin}/a`);
  });
});

describe("the emulator's answers", () => {
  it("carry no link to Dwolla's hosts; partner links stay; the text of other members is kept", async () => {
    const emu = await emulator({ spec: halSpec() });
    const token = await getToken(emu.url);
    const response = await api(emu.url, token, '/customers');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Listed;
    const all = hrefs(body);
    expect(all.length).toBeGreaterThan(10);
    for (const href of all) {
      if (href === PARTNER_HREF || href.startsWith('https://developers.dwolla.com/')) continue;
      expect(href.startsWith(`${emu.url}/`) || href === emu.url, href).toBe(true);
    }
    const first = body._embedded.customers[0]!;
    expect(first._links.partner!.href).toBe(PARTNER_HREF);
    expect(first._links.root!.href).toBe(emu.url);
    expect(first._links.account!.href).toBe(`${emu.url}/accounts/a1#top`);
    expect(first.name).toBe('not an href: https://api.dwolla.com/customers');
  });

  it('links that a client follows lead to answers of the emulator', async () => {
    const emu = await emulator({ spec: halSpec() });
    const token = await getToken(emu.url);
    const body = (await (await api(emu.url, token, '/customers')).json()) as Listed;
    const customer = body._embedded.customers[1]!;
    for (const rel of ['self', 'funding-sources', 'account']) {
      const href = customer._links[rel]!.href;
      const followed = await api(emu.url, token, href.slice(emu.url.length).replace(/#.*/, ''));
      expect(followed.status, `${rel}: ${href}`).toBe(200);
    }
  });
});
