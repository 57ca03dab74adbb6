import { describe, expect, it } from 'vitest';
import { pageLinks } from '../../src/emulator/answer/resource-links.js';
import { halSpec } from './hal-spec.js';
import { api, emulator, getToken } from './helpers.js';

type Link = { href: string; type?: string; 'resource-type'?: string };
type Body = {
  _links: Record<string, Link>;
  _embedded?: Record<string, { id: string; _links: Record<string, Link> }[]>;
  total?: number;
};

async function get(path: string) {
  const emu = await emulator({ spec: halSpec() });
  const token = await getToken(emu.url);
  const response = await api(emu.url, token, path);
  expect(response.status).toBe(200);
  return { emu, token, body: (await response.json()) as Body };
}

describe('links the request determines', () => {
  it("a resource's self is the resource the client asked for", async () => {
    const { emu, body } = await get('/customers/9b1f0c1e-0000-4000-8000-000000000001');
    expect(body._links.self).toEqual({
      href: `${emu.url}/customers/9b1f0c1e-0000-4000-8000-000000000001`,
      type: 'application/vnd.dwolla.v1.hal+json',
    });
  });

  it('a list below a resource links to it by the name Dwolla uses (customer), with its id', async () => {
    const { emu, token, body } = await get('/customers/cust-7/funding-sources');
    expect(body._links.self!.href).toBe(`${emu.url}/customers/cust-7/funding-sources`);
    expect(body._links.customer).toMatchObject({
      href: `${emu.url}/customers/cust-7`,
      'resource-type': 'customer',
    });
    const followed = await api(emu.url, token, '/customers/cust-7');
    expect(followed.status).toBe(200);
  });

  it("each listed item's self is built from its id, where the spec serves /<collection>/{id}", async () => {
    const { emu, body } = await get('/customers');
    const items = body._embedded!.customers!;
    expect(items.map((c) => c._links.self!.href)).toEqual(
      items.map((c) => `${emu.url}/customers/${c.id}`),
    );
    expect(items[0]!._links.self!['resource-type']).toBe('customer');
  });

  it('a paged list has first, last and next on the emulator; following next gives the next page', async () => {
    const { emu, token, body } = await get('/customers?limit=25&offset=0&search=jane');
    expect(body.total).toBe(60);
    const href = (rel: string) => body._links[rel]?.href;
    expect(href('self')).toBe(`${emu.url}/customers?limit=25&offset=0&search=jane`);
    expect(href('first')).toBe(`${emu.url}/customers?limit=25&offset=0&search=jane`);
    expect(href('next')).toBe(`${emu.url}/customers?limit=25&offset=25&search=jane`);
    expect(href('last')).toBe(`${emu.url}/customers?limit=25&offset=50&search=jane`);
    expect(href('prev')).toBeUndefined();

    const next = await api(emu.url, token, href('next')!.slice(emu.url.length));
    expect(next.status).toBe(200);
    const page = (await next.json()) as Body;
    expect(page._links.prev!.href).toBe(`${emu.url}/customers?limit=25&offset=0&search=jane`);
    expect(page._links.next!.href).toBe(`${emu.url}/customers?limit=25&offset=50&search=jane`);
  });

  it("a list without a limit uses Dwolla's page size of 25", async () => {
    const { emu, body } = await get('/customers');
    expect(body._links.next!.href).toBe(`${emu.url}/customers?limit=25&offset=25`);
  });
});

describe('pageLinks', () => {
  const base = 'http://e/x';
  const at = (limit: number, offset: number) => `${base}?limit=${limit}&offset=${offset}`;
  const page = (query: string, total?: number) =>
    pageLinks(base, new URLSearchParams(query), total, { defaultLimit: 10 });

  it('has no next on the last page, no prev on the first, and last at the start of the last page', () => {
    expect(page('offset=20', 25)).toEqual({ first: at(10, 0), last: at(10, 20), prev: at(10, 10) });
    expect(page('', 10)).toEqual({ first: at(10, 0), last: at(10, 0) });
    expect(page('limit=3&offset=4', 11)).toEqual({
      first: at(3, 0),
      last: at(3, 9),
      prev: at(3, 1),
      next: at(3, 7),
    });
  });

  it('without a total gives first only, and reads a bad limit as the default', () => {
    expect(page('limit=abc&offset=-3')).toEqual({ first: at(10, 0) });
    expect(page('limit=0', 0)).toEqual({ first: at(10, 0), last: at(10, 0) });
  });
});
