/**
 * Dwolla's official TypeScript SDK (`dwolla`, Speakeasy-generated, zod-validated both ways) runs
 * every one of its methods against the emulator on Dwolla's full spec. Each method's arguments
 * are built from the emulator's sample request for the operation the method calls (found by its
 * HTTP method and path), renamed the SDK's way (`_links` → `links`, `Idempotency-Key` →
 * `idempotencyKey`); where the spec's body is a choice, the first body (sample, then one per
 * oneOf/anyOf branch) that the SDK's own input validation accepts is sent.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Dwolla } from 'dwolla';
import { SDKValidationError } from 'dwolla/models/errors';
import { describe, expect, it } from 'vitest';
import type { Emulator, SampleRequest } from '../../src/emulator/index.js';
import { loadSpec } from '../../src/emulator/spec/load-spec.js';
import { listOperations, type Operation } from '../../src/emulator/spec/operations.js';
import { pathParams } from '../../src/emulator/http/router.js';
import { createSchemaChecker } from '../../src/emulator/check/schemas.js';
import { resolve } from '../../src/emulator/spec/spec-pointer.js';
import { synthesise } from '../../src/emulator/answer/synthesise.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { basic, emulator } from './helpers.js';
import { personal } from './sandbox-kit.js';

// Plain credentials: the SDK sends them in Basic without form-url-encoding them (RFC 6749 §2.3.1).
const KEY = 'sdk-key';
const SECRET = 'sdk-secret';

type Method = (...args: unknown[]) => Promise<unknown>;
type SdkMethod = { name: string; call: Method; takesSecurity: boolean; func: FuncFacts };
/** What a method's function (dwolla/funcs/<name>.js) sends. */
type FuncFacts = {
  httpMethod: string;
  path: string;
  /** Where the body goes in the method's argument: a member, the whole argument, or nowhere. */
  body: { member: string } | 'whole' | 'none';
  multipart: boolean;
};

const FUNCS = join(dirname(createRequire(import.meta.url).resolve('dwolla')), '..', 'esm', 'funcs');

/** Every method of the SDK, reached through its sub-SDK getters, e.g. `customers.get`. */
function sdkMethods(sdk: object, prefix = ''): SdkMethod[] {
  const found: SdkMethod[] = [];
  const members = Object.getOwnPropertyDescriptors(Object.getPrototypeOf(sdk));
  for (const [key, member] of Object.entries(members)) {
    if (key === 'constructor' || key.startsWith('_')) continue;
    const value = (sdk as Record<string, unknown>)[key];
    if (member.get) found.push(...sdkMethods(value as object, `${prefix}${key}.`));
    else if (typeof member.value === 'function') {
      const fn = member.value as Method;
      const funcName = /(\w+)\(this,/.exec(fn.toString())?.[1];
      if (!funcName) throw new Error(`${prefix}${key}: cannot tell which function it calls`);
      found.push({
        name: prefix + key,
        call: fn.bind(sdk),
        takesSecurity: fn.length === 3,
        func: funcFacts(readFileSync(join(FUNCS, `${funcName}.js`), 'utf8')),
      });
    }
  }
  return found;
}

function funcFacts(source: string): FuncFacts {
  const path = /pathToFunc\("([^"]+)"\)/.exec(source)?.[1];
  const httpMethod = /method: "([A-Z]+)"/.exec(source)?.[1];
  if (!path || !httpMethod) throw new Error('a function without a path or method');
  const json = /const body = encodeJSON\("body", payload(?:\.(\w+))?/.exec(source);
  const multipart = source.includes('new FormData()');
  const form = /Object\.entries\(payload/.test(source);
  const body: FuncFacts['body'] = multipart
    ? { member: 'requestBody' }
    : json?.[1]
      ? { member: lowerFirst(json[1]) }
      : json || form
        ? 'whole'
        : 'none';
  return { httpMethod, path: path.replace(/#.*$/, ''), body, multipart };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A wire name as the SDK names it: `_links` → `links`, `Idempotency-Key` → `idempotencyKey`. */
function sdkName(name: string): string {
  const words = name.replace(/^_+/, '').split(/[-_ ]+/);
  return lowerFirst(
    words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(''),
  );
}

function sdkShaped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sdkShaped);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [sdkName(k), sdkShaped(v)]));
}

/** The method's argument for a sample request, with `body` as the body. */
function argumentFor(
  method: SdkMethod,
  operation: Operation,
  sample: SampleRequest,
  body: unknown,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(pathParams(operation.path, sample.path))) {
    input[sdkName(name)] = value;
  }
  for (const [name, value] of Object.entries(sample.query)) input[sdkName(name)] = value;
  for (const [name, value] of Object.entries(sample.headers)) {
    if (name !== 'accept') input[sdkName(name)] = value;
  }
  let shaped = sdkShaped(body);
  if (method.func.multipart && typeof shaped === 'object' && shaped !== null) {
    // A file part: the SDK takes a Blob or { fileName, content }.
    shaped = {
      ...shaped,
      file: { fileName: 'id.png', content: new Uint8Array([137, 80, 78, 71]) },
    };
  }
  if (method.func.body === 'whole') Object.assign(input, shaped);
  else if (method.func.body !== 'none') input[method.func.body.member] = shaped;
  return input;
}

describe.skipIf(!HAS_UPSTREAM_SPEC)("Dwolla's official SDK on the emulator", () => {
  it('runs every one of its methods successfully', { timeout: 120_000 }, async () => {
    const doc = await loadSpec(UPSTREAM_SPEC);
    const checker = createSchemaChecker(doc);
    const operations = listOperations(doc);
    const emu: Emulator = await emulator({
      spec: UPSTREAM_SPEC,
      key: KEY,
      secret: SECRET,
      state: false, // each method once, with the spec's sample ids
    });
    const sdk = new Dwolla({
      serverURL: emu.url,
      security: { clientID: KEY, clientSecret: SECRET, tokenURL: `${emu.url}/token` },
    });
    const methods = sdkMethods(sdk);
    expect(methods.length).toBeGreaterThanOrEqual(83);

    /** Bodies to try: the sample's, then one for each branch of a oneOf/anyOf body schema. */
    const bodies = (operation: Operation, sample: SampleRequest): unknown[] => {
      const schemaAt = sample.contentType && operation.requestBody?.content[sample.contentType];
      const schema = schemaAt ? resolve(doc, { $ref: schemaAt }, schemaAt) : undefined;
      const branches = ['oneOf', 'anyOf'].flatMap((k) => {
        const list = schema?.value[k];
        return Array.isArray(list) ? list.map((_, i) => `${schema!.at}/${k}/${i}`) : [];
      });
      return [sample.body, ...branches.map((at) => synthesise(doc, checker, at))];
    };

    const failures: string[] = [];
    const reached = new Set<string>();
    for (const method of methods) {
      const { httpMethod, path } = method.func;
      const operation = operations.find(
        (op) => op.method.toUpperCase() === httpMethod && op.path === path,
      );
      if (!operation) {
        failures.push(`${method.name}: the spec has no ${httpMethod} ${path}`);
        continue;
      }
      const sample = emu.sampleRequest(operation.operationId);
      let outcome = 'no body passes the SDK input validation';
      for (const body of bodies(operation, sample)) {
        const argument = argumentFor(method, operation, sample, body);
        const args = method.takesSecurity
          ? [{ basicAuth: basic(KEY, SECRET) }, argument]
          : [argument];
        emu.resetStats();
        try {
          await method.call(...args);
          outcome = 'ok';
        } catch (error) {
          const input = error instanceof SDKValidationError && !emu.requests().length;
          if (input) continue; // the SDK refused this body before sending it: try the next one
          const answer = emu.requests().find((r) => r.operationId === operation.operationId);
          outcome = `${String(error).slice(0, 400)} (answer: ${answer?.response?.status} ${answer?.response?.body.slice(0, 200)})`;
        }
        break;
      }
      if (outcome === 'ok') reached.add(operation.operationId);
      else failures.push(`${method.name} (${httpMethod} ${path}): ${outcome}`);
    }
    console.info(
      `official SDK: ${methods.length - failures.length} of ${methods.length} methods succeed`,
    );
    expect(failures).toEqual([]);
    expect([...reached].sort()).toEqual(operations.map((op) => op.operationId).sort());
  });
});

describe.skipIf(!HAS_UPSTREAM_SPEC)("Dwolla's official SDK, an unhappy flow on the sandbox", () => {
  it('sends from a bank named R01: the simulation fails the transfer, and the SDK reads why', async () => {
    const emu: Emulator = await emulator({ spec: UPSTREAM_SPEC, key: KEY, secret: SECRET });
    const sdk = new Dwolla({
      serverURL: emu.url,
      security: { clientID: KEY, clientSecret: SECRET, tokenURL: `${emu.url}/token` },
    });
    /** The id at the end of a created resource's Location. */
    const idOf = (created: { headers: Record<string, string[]> } | undefined) => {
      const location = created?.headers.location?.[0] ?? '';
      expect(location).toMatch(new RegExp(`^${emu.url}/`));
      return location.split('/').pop()!;
    };
    // The SDK names these fields as Dwolla's API does.
    const rita = idOf(await sdk.customers.create({ ...personal('Rita'), type: 'personal' }));
    const omar = idOf(
      await sdk.customers.create({
        firstName: 'Omar',
        lastName: 'Payee',
        email: 'omar@example.com',
        type: 'unverified',
      }),
    );
    const bank = async (customer: string, name: string, accountNumber: string) =>
      idOf(
        await sdk.customers.fundingSources.create({
          id: customer,
          createCustomerFundingSource: {
            routingNumber: '222222226',
            accountNumber,
            bankAccountType: 'checking',
            name,
          },
        }),
      );
    // A bank named R01: Dwolla's sandbox returns what it debits (insufficient funds).
    const r01 = await bank(rita, 'R01', '111111111');
    const payee = await bank(omar, 'Checking', '222222222');
    await sdk.fundingSources.microDeposits.initiate({ id: r01 });
    const cents = { value: '0.03', currency: 'USD' };
    await sdk.fundingSources.microDeposits.verify({
      id: r01,
      requestBody: { amount1: cents, amount2: cents },
    });
    const transfer = idOf(
      await sdk.transfers.create({
        requestBody: {
          links: {
            source: { href: `${emu.url}/funding-sources/${r01}` },
            destination: { href: `${emu.url}/funding-sources/${payee}` },
          },
          amount: { value: '10.00', currency: 'USD' },
        },
      }),
    );
    expect((await sdk.transfers.get({ id: transfer })).status).toBe('pending');

    await sdk.sandboxSimulations.simulate();

    expect((await sdk.transfers.get({ id: transfer })).status).toBe('failed');
    const failure = await sdk.transfers.failure.get({ id: transfer });
    expect(failure).toMatchObject({ code: 'R01', description: 'Insufficient Funds' });
    expect(failure.links?.['failed-funding-source']?.href).toBe(
      `${emu.url}/funding-sources/${r01}`,
    );
    const events = await sdk.events.list({ limit: 50 });
    const topics = (events.embedded?.events ?? []).map((e) => e.topic);
    expect(topics.slice(0, 3)).toEqual([
      'customer_transfer_failed',
      'customer_transfer_failed',
      'customer_bank_transfer_failed',
    ]);
  });
});
