// Stored resources on Dwolla's full spec, checked over HTTP and against an independent validator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { upstreamResponseValidator } from '../helpers/upstream-validator.js';
import { api, bank, emulator, getToken, HAL, KEY, person, SECRET, verifyBank } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!HAS_UPSTREAM_SPEC)("state, on Dwolla's full spec", () => {
  const validator = HAS_UPSTREAM_SPEC ? upstreamResponseValidator() : undefined!;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let emu: Emulator;
  let token: string;
  const call = async (path: string, init: Parameters<typeof api>[3] = {}) => {
    const response = await api(emu.url, token, path.replace(emu.url, ''), init);
    const text = await response.text();
    return { response, status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  const create = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const { response, status } = await call(path, { body, headers });
    expect(status, `POST ${path}`).toBe(201);
    return response.headers.get('location')!;
  };
  /** Asserts that a body validates against the operation's response schema in Dwolla's spec. */
  const valid = (body: unknown, path: string, method = 'get') => {
    const validate = validator(path, method);
    expect(validate(body), `${method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
  };

  // One emulator for the file (reset before each test); emulator() would close it after each.
  beforeAll(async () => {
    emu = await startEmulator({ key: KEY, secret: SECRET, spec: UPSTREAM_SPEC, now: () => clock });
    token = await getToken(emu.url);
  });
  afterAll(() => emu?.close());
  beforeEach(async () => {
    emu.reset();
    token = await getToken(emu.url); // the clock may have moved past the last one's life
  });

  it('creates a customer that GET returns as posted, _links.self = Location; unknown ids are 404', async () => {
    const location = await create('/customers', { ...person(1), ssn: '1234' });
    expect(location).toMatch(new RegExp(`^${emu.url}/customers/[0-9a-f-]{36}$`));
    const { status, body } = await call(location);
    expect(status).toBe(200);
    expect(body).toMatchObject(person(1));
    expect(body).toMatchObject({ id: location.split('/').pop(), status: 'unverified' });
    expect(body).not.toHaveProperty('ssn'); // not in the response schema
    expect(body._links.self.href).toBe(location);
    expect(body.created).toBe(new Date(clock).toISOString());
    valid(body, '/customers/{id}');

    const missing = await call('/customers/4d3c2b1a-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 'NotFound', message: expect.any(String) });
    expect((await call(`${location}/funding-sources`, { body: bank('x') })).status).toBe(201);
    expect((await call('/customers/nope/funding-sources', { body: bank('x') })).status).toBe(404);
  });

  it('pages 30 customers with limit=7 over _links.next, each exactly once, every page valid', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 30; i++) created.add(await create('/customers', person(i)));
    const seen: string[] = [];
    let next: string | undefined = `${emu.url}/customers?limit=7`;
    let pages = 0;
    while (next) {
      const { body } = await call(next);
      valid(body, '/customers');
      expect(body.total).toBe(30);
      expect(body._embedded.customers.length).toBeLessThanOrEqual(7);
      expect(body._links.first.href).toContain('offset=0');
      expect(body._links.last.href).toContain('offset=28');
      if (pages > 0) expect(body._links.prev.href).toContain(`offset=${(pages - 1) * 7}`);
      seen.push(...body._embedded.customers.map((c: Json) => c._links.self.href));
      next = body._links.next?.href;
      pages++;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(created);
    // Newest first, as Dwolla lists; the default page is 25, the largest 200.
    const first = await call('/customers');
    expect(first.body._embedded.customers).toHaveLength(25);
    expect(first.body._embedded.customers[0].firstName).toBe('Ann29');
    expect((await call('/customers?limit=1000')).body._embedded.customers).toHaveLength(30);
    const search = await call('/customers?search=ann17');
    expect(search.body._embedded.customers.map((c: Json) => c.firstName)).toEqual(['Ann17']);
  });

  it("nested lists hold only their parent's items; a removed funding source says removed: true", async () => {
    const a = await create('/customers', person('a'));
    const b = await create('/customers', person('b'));
    const aBank = await create(`${a}/funding-sources`, bank('A checking'));
    await create(`${b}/funding-sources`, bank('B checking'));
    await create(`${b}/funding-sources`, bank('B savings'));

    const listed = await call(`${a}/funding-sources`);
    valid(listed.body, '/customers/{id}/funding-sources');
    expect(listed.body.total).toBe(1);
    expect(listed.body._embedded['funding-sources'][0]._links.self.href).toBe(aBank);
    expect((await call(`${b}/funding-sources`)).body.total).toBe(2);

    const source = await call(aBank);
    valid(source.body, '/funding-sources/{id}');
    expect(source.body).toMatchObject({ name: 'A checking', removed: false });
    expect(source.body._links.customer.href).toBe(a);

    const removed = await call(aBank, { body: { removed: true } });
    expect(removed.status).toBe(200);
    valid(removed.body, '/funding-sources/{id}', 'post');
    expect((await call(aBank)).body.removed).toBe(true);
  });

  it('updates stored fields and deletes resources', async () => {
    const customer = await create('/customers', person('u'));
    const updated = await call(customer, {
      body: { email: 'new@example.com' },
      contentType: 'application/json',
    });
    expect(updated.status).toBe(200);
    valid(updated.body, '/customers/{id}', 'post');
    expect((await call(customer)).body).toMatchObject({
      email: 'new@example.com',
      firstName: 'Annu',
    });
    const deactivated = await call(customer, {
      body: { status: 'deactivated' },
      contentType: 'application/json',
    });
    expect(deactivated.body.status).toBe('deactivated');

    const subscription = await create('/webhook-subscriptions', {
      url: 'http://127.0.0.1:9/hooks',
      secret: 'a secret',
    });
    const fetched = await call(subscription);
    valid(fetched.body, '/webhook-subscriptions/{id}');
    expect(fetched.body).not.toHaveProperty('secret');
    expect((await call(subscription, { method: 'DELETE' })).status).toBe(200);
    expect((await call(subscription)).status).toBe(404);
  });

  /** The account's own funding sources: its bank ("Superhero Savings Bank") and balance. */
  const accountSources = async () => {
    const account = (await call('/')).body._links.account.href as string;
    const list = (await call(`${account}/funding-sources`)).body._embedded[
      'funding-sources'
    ] as Json[];
    const own = (type: string) => list.find((fs) => fs.type === type)!._links.self.href as string;
    return { account, bank: own('bank'), balance: own('balance') };
  };

  it('takes a transfer pending → processed with simulations, and lists its events', async () => {
    const [a, b] = [
      await create('/customers', person('a')),
      await create('/customers', person('b')),
    ];
    const from = (await accountSources()).bank;
    const to = await create(`${b}/funding-sources`, bank('to'));
    const failing = await create(`${b}/funding-sources`, bank('R03'));
    const transfer = (destination: string) =>
      create('/transfers', {
        _links: { source: { href: from }, destination: { href: destination } },
        amount: { currency: 'USD', value: '12.34' },
      });
    const ok = await transfer(to);
    const bounced = await transfer(failing);
    const pending = await call(ok);
    valid(pending.body, '/transfers/{id}');
    expect(pending.body).toMatchObject({
      status: 'pending',
      amount: { currency: 'USD', value: '12.34' },
    });
    expect(pending.body._links['source-funding-source'].href).toBe(from);
    expect(pending.body._links['destination-funding-source'].href).toBe(to);
    expect(pending.body._links.destination.href).toBe(b);
    const ofB = await call(`${b}/transfers`);
    valid(ofB.body, '/customers/{id}/transfers');
    expect(ofB.body.total).toBe(2);
    expect((await call(`${a}/transfers`)).body.total).toBe(0);

    // The account's bank pays into its balance, then the balance pays out to the banks.
    for (let i = 0; i < 2; i++) {
      expect((await call('/sandbox-simulations', { body: {} })).status).toBe(200);
    }
    expect((await call(ok)).body.status).toBe('processed');
    expect((await call(bounced)).body.status).toBe('failed'); // R03: Dwolla's sandbox return code

    const events = await call('/events?limit=200');
    valid(events.body, '/events');
    const topics = events.body._embedded.events.map((e: Json) => [e.topic, e._links.resource.href]);
    expect(topics).toEqual(
      expect.arrayContaining([
        ['customer_created', a],
        ['customer_funding_source_added', to],
        ['transfer_created', ok],
        ['customer_transfer_created', ok],
        ['transfer_completed', ok],
        ['customer_transfer_completed', ok],
        ['transfer_failed', bounced],
      ]),
    );
    const one = await call(events.body._embedded.events[0]._links.self.href);
    valid(one.body, '/events/{id}');
    expect(one.body).toEqual(events.body._embedded.events[0]); // newest first
    expect(one.body.topic).toBe('customer_funding_source_removed'); // R03 removed the bank
  });

  it("account lists hold the account's own funding sources and the transfers that touch them", async () => {
    const { account, bank: superhero, balance } = await accountSources();
    expect(account).toMatch(new RegExp(`^${emu.url}/accounts/[0-9a-f-]{36}$`));
    const own = await create('/funding-sources', bank('Account checking'));
    const customer = await create('/customers', person('c'));
    const other = await create('/customers', person('d'));
    const theirs = await create(`${customer}/funding-sources`, bank('Customer checking'));
    const others = await create(`${other}/funding-sources`, bank('Other checking'));
    await verifyBank(emu, token, theirs); // customers send only from verified banks
    const transfer = (source: string, destination: string) =>
      create('/transfers', {
        _links: { source: { href: source }, destination: { href: destination } },
        amount: { currency: 'USD', value: '5.00' },
      });
    const payout = await transfer(balance, theirs);
    const collection = await transfer(theirs, own);
    await transfer(theirs, others); // between customers: not the account's

    const sources = await call(`${account}/funding-sources`);
    valid(sources.body, '/accounts/{id}/funding-sources');
    const hrefs = (list: Json, name: string) =>
      (list._embedded[name] as Json[]).map((r) => r._links.self.href as string);
    expect(hrefs(sources.body, 'funding-sources').sort()).toEqual([own, superhero, balance].sort());
    expect(sources.body.total).toBe(3);

    const transfers = await call(`${account}/transfers`);
    valid(transfers.body, '/accounts/{id}/transfers');
    expect(transfers.body.total).toBe(2);
    expect(hrefs(transfers.body, 'transfers')).toEqual([collection, payout]); // newest first
    const firstPage = await call(`${account}/transfers?limit=1`);
    valid(firstPage.body, '/accounts/{id}/transfers');
    expect(hrefs(firstPage.body, 'transfers')).toEqual([collection]);
    const secondPage = await call(firstPage.body._links.next.href);
    expect(hrefs(secondPage.body, 'transfers')).toEqual([payout]);
    expect(secondPage.body._links.next).toBeUndefined();

    const massPayment = await create('/mass-payments', {
      _links: { source: { href: own } },
      items: [
        {
          _links: { destination: { href: theirs } },
          amount: { currency: 'USD', value: '1.00' },
        },
      ],
    });
    const massPayments = await call(`${account}/mass-payments`);
    valid(massPayments.body, '/accounts/{id}/mass-payments');
    expect(hrefs(massPayments.body, 'mass-payments')).toEqual([massPayment]);

    const elsewhere = '/accounts/4d3c2b1a-0000-4000-8000-000000000000';
    expect((await call(`${elsewhere}/funding-sources`)).status).toBe(404);
    expect((await call(`${elsewhere}/transfers`)).status).toBe(404);
  });

  it('replays an Idempotency-Key for 24 h of the emulator clock, and 409s a different request', async () => {
    const key = { 'Idempotency-Key': 'key-1' };
    const first = await call('/customers', { body: person('i'), headers: key });
    const again = await call('/customers', { body: person('i'), headers: key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.response.headers.get('location')).toBe(first.response.headers.get('location'));
    expect((await call('/customers')).body.total).toBe(1);
    const other = await call('/customers', { body: person('j'), headers: key });
    expect(other.status).toBe(409);

    clock += 24 * 60 * 60 * 1000;
    token = await getToken(emu.url);
    // Forgotten: the request runs afresh, and this time meets the customer it created.
    const later = await call('/customers', { body: person('i'), headers: key });
    expect(later.status).toBe(400);
    expect(later.body._embedded.errors).toMatchObject([{ code: 'Duplicate', path: '/email' }]);
    expect((await call('/customers')).body.total).toBe(1);
  });

  it('answers 409 to the same Idempotency-Key while the first request is still being handled', async () => {
    emu.fault({ path: '/customers', method: 'POST', latencyMs: 500 });
    const key = { 'Idempotency-Key': 'key-slow' };
    const slow = call('/customers', { body: person('s'), headers: key });
    await new Promise((done) => setTimeout(done, 150));
    const during = await call('/customers', { body: person('s'), headers: key });
    expect(during.status).toBe(409);
    expect(during.body.code).toBe('Conflict');
    const first = await slow;
    expect(first.status).toBe(201);
    const after = await call('/customers', { body: person('s'), headers: key });
    expect(after.response.headers.get('location')).toBe(first.response.headers.get('location'));
    // A 5xx is not remembered: the retry runs afresh.
    emu.fault({ path: '/customers', method: 'POST', status: 503 });
    const retried = { 'Idempotency-Key': 'key-503' };
    expect((await call('/customers', { body: person('r'), headers: retried })).status).toBe(503);
    expect((await call('/customers', { body: person('r'), headers: retried })).status).toBe(201);
  });

  it('stores a body that validates for every create of the spec, top-level or under a customer', async () => {
    const customer = await create('/customers', person('sweep'));
    const templates = new Set(emu.operations.map((o) => `${o.method} ${o.path}`));
    const checked: string[] = [];
    for (const op of emu.operations) {
      const match = /^(?:\/customers\/\{[^}]+\})?\/([a-z-]+)$/.exec(op.path);
      if (op.method !== 'post' || !match) continue;
      const sample = emu.sampleRequest(op.operationId);
      if (sample.contentType !== HAL && sample.contentType !== 'application/json') continue;
      const path = op.path.startsWith('/customers/{') ? `${customer}/${match[1]}` : op.path;
      const body = structuredClone(sample.body) as Json;
      if (typeof body?.url === 'string') body.url = 'http://127.0.0.1:9/hooks'; // loopback only
      const response = await call(path, {
        body,
        contentType: sample.contentType,
        headers: sample.headers,
      });
      if (response.status !== 201) continue; // answers 200 (no resource), or refuses the sample
      const location = response.response.headers.get('location')!;
      const item = `/${location.replace(emu.url, '').split('/')[1]}/{id}`;
      const getPath = [...templates].find((t) => t.replace(/\{[^}]+\}$/, '{id}') === `get ${item}`);
      if (!getPath) continue;
      const got = await call(location);
      expect(got.status, `GET ${location}`).toBe(200);
      valid(got.body, getPath.slice(4));
      checked.push(op.operationId);
    }
    // At least customers, funding sources and webhook subscriptions (and more; the sample
    // transfer's funding sources do not exist: sandbox-transfers.test.ts checks transfers).
    expect(checked).toEqual(
      expect.arrayContaining([
        'createCustomer',
        'createCustomerFundingSource',
        'createWebhookSubscription',
      ]),
    );
    expect(checked.length).toBeGreaterThanOrEqual(8);
  });

  it('snapshots with state(), seeds another emulator with initialState, and reset() goes back', async () => {
    const customer = await create('/customers', person('snap'));
    const snapshot = emu.state();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    const other = await emulator({ spec: UPSTREAM_SPEC, initialState: snapshot });
    const otherToken = await getToken(other.url);
    const moved = customer.replace(emu.url, other.url);
    const copy = await api(other.url, otherToken, moved.replace(other.url, ''));
    expect(copy.status).toBe(200);
    expect(((await copy.json()) as Json)._links.self.href).toBe(moved);
    await api(other.url, otherToken, '/customers', { body: person('more') });
    other.reset();
    const listed = (await (await api(other.url, otherToken, '/customers')).json()) as Json;
    expect(listed.total).toBe(1);
    emu.reset();
    expect((await call(customer)).status).toBe(404);
  });
});
