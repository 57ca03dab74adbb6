// dwolla.paginate against a scripted loopback Dwolla whose lists page with limit, offset and
// absolute _links.next, as Dwolla's do.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DwollaError, DwollaRequestRefusedError, type DwollaClient } from '../../src/index.js';
import {
  sendJson,
  startRecordingServer,
  type RecordingServer,
} from '../helpers/recording-server.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

const CUSTOMERS = Array.from({ length: 45 }, (_, i) => ({ id: `c-${i}`, firstName: `N${i}` }));

let fake: FakeDwolla;
let dwolla: DwollaClient;
/** Rewrites the next link of each page (default: Dwolla's). */
let nextLink: (next: string | undefined) => unknown;

function listPage(path: string, origin: string) {
  const url = new URL(path, origin);
  const limit = Number(url.searchParams.get('limit') ?? 25);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const items = CUSTOMERS.slice(offset, offset + limit);
  const more = offset + limit < CUSTOMERS.length;
  const next = more ? `${origin}/customers?limit=${limit}&offset=${offset + limit}` : undefined;
  const link = nextLink(next);
  return {
    _links: { self: { href: url.href }, ...(link === undefined ? {} : { next: link }) },
    _embedded: { customers: items },
    total: CUSTOMERS.length,
  };
}

beforeEach(async () => {
  fake = await startFakeDwolla();
  nextLink = (next) => (next === undefined ? undefined : { href: next });
  fake.api = (request, res) => {
    if (request.path.startsWith('/customers')) {
      sendJson(res, 200, listPage(request.path, fake.origin));
    } else sendJson(res, 200, { id: 'not-a-list' });
  };
  dwolla = testClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });
});
afterEach(() => fake.close());

const pathsRequested = () => fake.apiRequests().map((r) => r.path);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('dwolla.paginate', () => {
  it('yields every item once, page after page over _links.next, with the limit given', async () => {
    const items = await collect(
      dwolla.paginate<{ id: string }>('/customers', { query: { limit: 10 } }),
    );
    expect(items.map((c) => c.id)).toEqual(CUSTOMERS.map((c) => c.id));
    expect(pathsRequested()).toEqual([
      '/customers?limit=10',
      '/customers?limit=10&offset=10',
      '/customers?limit=10&offset=20',
      '/customers?limit=10&offset=30',
      '/customers?limit=10&offset=40',
    ]);
  });

  it("asks for Dwolla's largest page (limit=200) unless told otherwise, and keeps other query parameters", async () => {
    const items = await collect(dwolla.paginate('/customers', { query: { search: 'N1' } }));
    expect(items).toHaveLength(45);
    expect(pathsRequested()).toEqual(['/customers?search=N1&limit=200']);
  });

  it('takes a URL or a HAL link, keeping a limit it already has', async () => {
    await collect(dwolla.paginate({ href: `${fake.origin}/customers?limit=20` }));
    await collect(dwolla.paginate(new URL(`${fake.origin}/customers?limit=30`)));
    expect(pathsRequested()).toEqual([
      '/customers?limit=20',
      '/customers?limit=20&offset=20',
      '/customers?limit=20&offset=40',
      '/customers?limit=30',
      '/customers?limit=30&offset=30',
    ]);
  });

  it('fetches nothing more once the caller breaks', async () => {
    const seen: string[] = [];
    for await (const customer of dwolla.paginate<{ id: string }>('/customers', {
      query: { limit: 10 },
    })) {
      seen.push(customer.id);
      if (seen.length === 12) break;
    }
    expect(seen).toHaveLength(12);
    expect(pathsRequested()).toHaveLength(2);
  });

  it('refuses a next link on another origin before anything reaches it', async () => {
    const foreign: RecordingServer = await startRecordingServer();
    try {
      nextLink = (next) => (next === undefined ? undefined : { href: foreign.url('/customers') });
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const item of dwolla.paginate('/customers', { query: { limit: 10 } })) {
          seen.push(item);
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaRequestRefusedError);
      expect(seen).toHaveLength(10);
      expect(foreign.requests).toEqual([]);
    } finally {
      await foreign.close();
    }
  });

  it('fails with a DwollaError on a page that is not a list', async () => {
    const notList = await collect(dwolla.paginate('/accounts/a-1')).catch((e: unknown) => e);
    expect(notList).toBeInstanceOf(DwollaError);
    expect((notList as Error).message).toMatch(
      /page 1 \(GET \/accounts\/a-1\): the answer is not a Dwolla list \(expected _embedded with one array of items; _embedded is missing\)/,
    );
    expect(notList).toMatchObject({ status: 200 });
  });

  it.each([
    ['no body', undefined, /got no body/],
    ['an array', [1, 2], /got a non-object/],
    ['no array under _embedded', { _embedded: { count: 3 } }, /no array under it/],
    ['two arrays', { _embedded: { a: [], b: [] } }, /several: a, b/],
    [
      'a next href that is not a string',
      { _embedded: { a: [1] }, _links: { next: { href: 7 } } },
      /_links\.next\.href is not a string/,
    ],
  ])('names what is wrong with a page holding %s', async (_case, body, message) => {
    fake.api = (_request, res) => {
      if (body === undefined) res.writeHead(200).end();
      else sendJson(res, 200, body);
    };
    await expect(collect(dwolla.paginate('/things'))).rejects.toThrow(message);
  });

  it('fails instead of paging forever when _links.next points back to a page already read', async () => {
    nextLink = () => ({ href: `${fake.origin}/customers?limit=10` });
    const error = await collect(dwolla.paginate('/customers', { query: { limit: 10 } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DwollaError);
    expect((error as Error).message).toMatch(/page 1 .*points back to a page already read/);
    expect(pathsRequested()).toHaveLength(1);
  });

  it('stops at an empty page even when it has a next link', async () => {
    fake.api = (request, res) =>
      sendJson(res, 200, {
        _links: { next: { href: `${fake.origin}/empty?offset=${request.path.length}` } },
        _embedded: { things: [] },
      });
    expect(await collect(dwolla.paginate('/empty'))).toEqual([]);
    expect(pathsRequested()).toHaveLength(1);
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const item of dwolla.paginate('/customers', {
        query: { limit: 10 },
        signal: controller.signal,
      })) {
        seen.push(item);
        if (seen.length === 10) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect(seen).toHaveLength(10);
    expect(pathsRequested()).toHaveLength(1);
  });
});
