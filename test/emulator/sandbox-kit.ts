// What the Sandbox-rule tests share: one emulator on Dwolla's full spec per file (reset before
// each test), plain fetch calls, a webhook receiver on 127.0.0.1, the events in order, and the
// contract suite's independent oracle for response bodies.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { parse } from 'yaml';
import { createOracle } from '../../contract/oracle.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, getToken, HAL, KEY, SECRET } from './helpers.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A verified personal customer as Dwolla's spec takes it; `firstName` picks its status. */
export const personal = (firstName: string, n: number | string = firstName) => ({
  firstName,
  lastName: 'Tester',
  email: `${firstName}.${n}@example.com`.toLowerCase(),
  type: 'personal',
  address1: '1 Main St',
  city: 'Des Moines',
  state: 'IA',
  postalCode: '50309',
  dateOfBirth: '1980-01-31',
  ssn: '1234',
});

/** The address Dwolla's examples give a controller or a beneficial owner. */
const US_ADDRESS = {
  address1: '1 Main St',
  city: 'Des Moines',
  stateProvinceRegion: 'IA',
  postalCode: '50309',
  country: 'US',
};

/** A beneficial owner; its `firstName` (`incomplete`, `document`, else verified) picks its status. */
export const beneficialOwner = (firstName: string) => ({
  firstName,
  lastName: 'Owner',
  dateOfBirth: '1970-01-01',
  ssn: '123-46-7890',
  address: US_ADDRESS,
});

/** A verified business (an LLC with a controller); `businessName` and the controller's
 * `firstName` pick its status. */
export const business = (businessName: string, controllerName: string, n: number | string = 0) => ({
  firstName: 'Account',
  lastName: 'Admin',
  email: `business.${n}.${businessName}.${controllerName}@example.com`.toLowerCase(),
  type: 'business',
  address1: '1 Main St',
  city: 'Des Moines',
  state: 'IA',
  postalCode: '50309',
  businessName,
  businessType: 'llc',
  businessClassification: '9ed3f670-7d6f-11e3-b1ce-5404a6144203',
  ein: '00-0000000',
  controller: {
    firstName: controllerName,
    lastName: 'Controller',
    title: 'CEO',
    dateOfBirth: '1980-01-31',
    ssn: '6789',
    address: US_ADDRESS,
  },
});

type Received = { topic: string; event: Json };

/**
 * Starts one emulator on Dwolla's full spec for the calling file (reset, with a fresh token and
 * a subscription to a receiver here, before each test) and answers the helpers that use it.
 */
export function sandboxKit(options: Partial<EmulatorOptions> = {}) {
  const doc = HAS_UPSTREAM_SPEC
    ? (parse(readFileSync(UPSTREAM_SPEC, 'utf8')) as OpenApiDocument)
    : undefined;
  const oracle = doc ? createOracle(doc) : undefined;
  const received: Received[] = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
      received.push({ topic: String(req.headers['x-dwolla-topic']), event });
      res.end();
    });
  });
  const kit = {
    emu: undefined as unknown as Emulator,
    token: '',
    clock: Date.parse('2026-01-01T00:00:00Z'),
    received,
    /** A call with the bearer token; `path` may be a full URL on the emulator. */
    async call(path: string, init: Parameters<typeof api>[3] = {}) {
      const response = await api(kit.emu.url, kit.token, path.replace(kit.emu.url, ''), init);
      const text = await response.text();
      return { response, status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
    },
    /** POSTs a creation (no body when `body` is undefined), expects 201, answers its Location. */
    async create(path: string, body: unknown): Promise<string> {
      const init = body === undefined ? { method: 'POST' } : { body };
      const { status, body: answer, response } = await kit.call(path, init);
      expect(status, `POST ${path}: ${JSON.stringify(answer)}`).toBe(201);
      return response.headers.get('location')!;
    },
    /** A multipart upload of a file to a documents collection. */
    async upload(path: string, file: Blob, filename: string, documentType = 'passport') {
      const form = new FormData();
      form.set('documentType', documentType);
      form.set('file', file, filename);
      const response = await fetch(path.startsWith('http') ? path : kit.emu.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${kit.token}`, accept: HAL },
        body: form,
      });
      const text = await response.text();
      return { response, status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
    },
    /** Asserts a body validates against the response schema of an operation in Dwolla's spec,
     * judged by the contract suite's oracle (none of the emulator's code). */
    valid(body: unknown, path: string, method = 'get', status = '200') {
      const at = ['paths', path, method, 'responses', status, 'content', HAL, 'schema']
        .map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1')))
        .join('/');
      expect(oracle!(`#/${at}`, body), `${method} ${path} ${status}`).toEqual([]);
    },
    /** Asserts a body validates against one of the spec's named schemas (`#/components/schemas/
     * <name>`): an error whose operation declares a oneOf of look-alike branches. */
    validAs(body: unknown, schema: string) {
      const at = `#/components/schemas/${encodeURIComponent(schema)}`;
      expect(oracle!(at, body), schema).toEqual([]);
    },
    /** Topics of the events recorded since the last reset, oldest first (GET /events). */
    async topics(resourceId?: string): Promise<string[]> {
      const { body } = await kit.call('/events?limit=200');
      kit.valid(body, '/events');
      const events = (body._embedded.events as Json[]).slice().reverse();
      return events.filter((e) => !resourceId || e.resourceId === resourceId).map((e) => e.topic);
    },
    /** Waits for the webhooks under way; the topics received, in the order of their events. */
    async webhookTopics(): Promise<string[]> {
      await kit.emu.webhooksSettled();
      const { body } = await kit.call('/events?limit=200');
      const order = (body._embedded.events as Json[]).map((e) => e.id).reverse();
      return received
        .slice()
        .sort((a, b) => order.indexOf(a.event.id) - order.indexOf(b.event.id))
        .map((r) => r.topic);
    },
  };

  beforeAll(async () => {
    if (!HAS_UPSTREAM_SPEC) return;
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    kit.emu = await startEmulator({
      key: KEY,
      secret: SECRET,
      spec: UPSTREAM_SPEC,
      now: () => kit.clock,
      ...options,
    });
  });
  afterAll(async () => {
    await kit.emu?.close();
    receiver.close();
    receiver.closeAllConnections();
  });
  beforeEach(async () => {
    if (!HAS_UPSTREAM_SPEC) return;
    await kit.emu.webhooksSettled();
    kit.emu.reset();
    received.length = 0;
    kit.token = await getToken(kit.emu.url);
    const port = (receiver.address() as AddressInfo).port;
    await kit.create('/webhook-subscriptions', {
      url: `http://127.0.0.1:${port}/dwolla`,
      secret: 'webhook secret',
    });
  });
  return kit;
}

/** The hrefs' relation names of a body's `_links`, sorted. */
export const rels = (body: Json) => Object.keys(body._links ?? {}).sort();
