/**
 * A sandbox on Dwolla's full spec for the money tests: one emulator per file (reset before each
 * test), driven with plain fetch, a webhook receiver on 127.0.0.1 subscribed to it, and the
 * contract suite's own validator (contract/oracle.ts, compiled from the raw spec, not the
 * emulator's checker) to judge every body against the spec.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { parse } from 'yaml';
import { createOracle, type Oracle } from '../../contract/oracle.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, getToken, HAL, KEY, SECRET } from './helpers.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pointer = (...segments: string[]) =>
  '#/' + segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** A verified personal customer's body (Dwolla's Sandbox verifies any name but its sentinels). */
export const verifiedPerson = (name: string) => ({
  firstName: name,
  lastName: 'Doe',
  email: `${name.toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@example.com`,
  type: 'personal',
  address1: '99-99 33rd St',
  city: 'Some City',
  state: 'NY',
  postalCode: '11101',
  dateOfBirth: '1970-01-01',
  ssn: '1234',
});

/** An unverified customer's body. */
export const unverifiedPerson = (name: string) => ({
  firstName: name,
  lastName: 'Roe',
  email: `${name.toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@example.com`,
  type: 'unverified',
});

/** A bank funding source's body; `account` tells banks apart (Dwolla refuses a duplicate). */
export const bankAccount = (
  name: string,
  account = String(100000 + Math.floor(Math.random() * 9e8)),
) => ({
  routingNumber: '222222226',
  accountNumber: account,
  bankAccountType: 'checking',
  name,
});

export function sandboxHarness() {
  let emu: Emulator;
  let token: string;
  let receiver: RecordingServer;
  let oracle: Oracle;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let subscription: string;

  beforeAll(async () => {
    if (!HAS_UPSTREAM_SPEC) return;
    oracle = createOracle(parse(readFileSync(UPSTREAM_SPEC, 'utf8')));
    emu = await startEmulator({ key: KEY, secret: SECRET, spec: UPSTREAM_SPEC, now: () => clock });
    receiver = await startRecordingServer((_request, res) => res.end());
  });
  afterAll(async () => {
    await emu?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    if (!HAS_UPSTREAM_SPEC) return;
    emu.reset();
    receiver.requests.length = 0;
    clock = Date.parse('2026-01-01T00:00:00Z');
    token = await getToken(emu.url);
    subscription = await h.create('/webhook-subscriptions', {
      url: receiver.url('/hooks'),
      secret: 'shh',
    });
  });

  const h = {
    get emu() {
      return emu;
    },
    /** Moves the emulator's clock (and takes a token that lives past it). */
    async advance(ms: number) {
      clock += ms;
      token = await getToken(emu.url);
    },
    async call(path: string, init: Parameters<typeof api>[3] = {}) {
      const response = await api(emu.url, token, path.replace(emu.url, ''), init);
      const text = await response.text();
      return { response, status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
    },
    async create(path: string, body: unknown): Promise<string> {
      const { status, response, body: answer } = await h.call(path, { body });
      expect(status, `POST ${path}: ${JSON.stringify(answer)}`).toBe(201);
      return response.headers.get('location')!;
    },
    /** GET, checked to be 200 and valid for the operation's response schema. */
    async read(href: string, template: string): Promise<Json> {
      const { status, body } = await h.call(href);
      expect(status, `GET ${href}: ${JSON.stringify(body)}`).toBe(200);
      h.valid(body, template);
      return body;
    },
    /** Asserts a body validates against an operation's response schema in Dwolla's spec. */
    valid(body: unknown, template: string, method = 'get', status = '200') {
      const at = pointer('paths', template, method, 'responses', status, 'content', HAL, 'schema');
      expect(oracle(at, body), `${method} ${template} ${status}`).toEqual([]);
    },
    /** Asserts a body validates against one of the spec's named schemas (an error's branch). */
    validAs(body: unknown, schema: string) {
      expect(oracle(pointer('components', 'schemas', schema), body), schema).toEqual([]);
    },
    /** A request that Dwolla refuses: its status and body, the body valid for `schema`. */
    async refused(path: string, body: unknown, status: number, schema?: string) {
      const answer = await h.call(path, { body });
      expect(answer.status, `POST ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
      if (schema) h.validAs(answer.body, schema);
      return answer.body;
    },
    /** A verified customer and a bank verified with micro-deposits. */
    async verifiedWithBank(name: string, bank = name + "'s Checking") {
      const customer = await h.create('/customers', verifiedPerson(name));
      const fs = await h.create(`${customer}/funding-sources`, bankAccount(bank));
      await h.verifyBank(fs);
      return { customer, bank: fs };
    },
    async verifyBank(fs: string) {
      expect((await h.call(`${fs}/micro-deposits`, { method: 'POST' })).status).toBe(201);
      const amount = { value: '0.03', currency: 'USD' };
      const verified = await h.call(`${fs}/micro-deposits`, {
        body: { amount1: amount, amount2: amount },
      });
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    },
    /** The customer's (or account's) balance funding source. */
    async balanceOf(owner: string): Promise<string> {
      const list = await h.call(`${owner}/funding-sources`);
      const balance = (list.body._embedded['funding-sources'] as Json[]).find(
        (fs) => fs.type === 'balance',
      );
      expect(balance, `${owner} has a balance`).toBeDefined();
      return balance!._links.self.href as string;
    },
    async balance(fs: string): Promise<string> {
      return (await h.read(`${fs}/balance`, '/funding-sources/{id}/balance')).balance.value;
    },
    async transfer(source: string, destination: string, value: string, more: Json = {}) {
      return h.create('/transfers', {
        _links: { source: { href: source }, destination: { href: destination } },
        amount: { currency: 'USD', value },
        ...more,
      });
    },
    async simulate(): Promise<Json> {
      const { status, body } = await h.call('/sandbox-simulations', { body: {} });
      expect(status).toBe(200);
      h.valid(body, '/sandbox-simulations', 'post');
      return body;
    },
    async status(href: string): Promise<string> {
      return (await h.read(href, '/transfers/{id}')).status;
    },
    /** Events since the harness subscribed, oldest first: [topic, resource href, customer href]. */
    async events(): Promise<[string, string, string | undefined][]> {
      const { body } = await h.call('/events?limit=200');
      h.valid(body, '/events');
      return (body._embedded.events as Json[])
        .reverse()
        .map((e) => [e.topic, e._links.resource.href, e._links.customer?.href]);
    },
    /** Events recorded from now on: call the returned function to read them. */
    async eventsFrom(): Promise<() => Promise<[string, string, string | undefined][]>> {
      const seen = (await h.events()).length;
      return async () => (await h.events()).slice(seen);
    },
    /** Stops the webhooks (where a test makes hundreds of events). */
    async unsubscribe() {
      expect((await h.call(subscription, { method: 'DELETE' })).status).toBe(200);
    },
    /** Webhook deliveries so far, oldest first, with their events' ids and topics. */
    async webhooks(): Promise<{ id: string; topic: string }[]> {
      await emu.webhooksSettled();
      return receiver.requests.map((r) => {
        const event = JSON.parse(r.body) as Json;
        expect(r.headers['x-dwolla-topic']).toBe(event.topic);
        return { id: event.id, topic: event.topic };
      });
    },
  };
  return h;
}

export type Sandbox = ReturnType<typeof sandboxHarness>;
