// Empty answers through generated operations: a 201 with a Location and no body, however it is
// framed (chunked with no Content-Length, Content-Length: 0) and a 204, all without
// Content-Type, resolve `data: undefined` as `dwolla.post` does, through `dwolla.client` and
// through a client of the same generated runtime on the platform's fetch. A body without
// Content-Type still streams, byte for byte.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtureOperations } from '../helpers/fixture-operations.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

type Result = { data: unknown; response: Response };
interface Generated {
  createCustomer(options: unknown): Promise<Result>;
}
interface Runtime {
  createClient(config: unknown): unknown;
  createConfig(config: unknown): unknown;
}

const fixture = useFixtureOperations<Generated>('dwolla-empty-answers-');
let runtime: Runtime;
let fake: FakeDwolla;

beforeAll(async () => {
  runtime = await fixture.load<Runtime>('client/index.ts');
  fake = await startFakeDwolla();
});
afterAll(async () => {
  await fake?.close();
});

const customer = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' };

/** How the server frames each answer, as it goes on the wire (node:http adds nothing else). */
const answers: Array<[string, (res: ServerResponse) => void, Record<string, string | null>]> = [
  [
    '201 sent chunked',
    (res) => {
      res.writeHead(201, { Location: `${fake.origin}/customers/c-1` });
      res.flushHeaders(); // headers first: node:http then frames the (empty) body chunked
      res.end();
    },
    { status: '201', 'transfer-encoding': 'chunked', 'content-length': null },
  ],
  [
    '201 with Content-Length: 0',
    (res) =>
      res.writeHead(201, { Location: `${fake.origin}/customers/c-1`, 'Content-Length': '0' }).end(),
    { status: '201', 'transfer-encoding': null, 'content-length': '0' },
  ],
  ['204', (res) => res.writeHead(204).end(), { status: '204', 'transfer-encoding': null }],
];

/** The generated operation through dwolla.client, and through the runtime on plain fetch. */
function clients() {
  const dwolla = testClient({
    key: KEY,
    secret: SECRET,
    baseUrl: fake.origin,
    sleep: noSleep,
  });
  const plain = runtime.createClient(
    runtime.createConfig({ baseUrl: fake.origin, throwOnError: true, headers: {} }),
  );
  return { dwolla, plain };
}

describe('generated operations resolve data: undefined for an empty answer', () => {
  it.each(answers)('%s, without Content-Type', async (_, answer, wire) => {
    fake.api = (_request, res) => answer(res);
    const { dwolla, plain } = clients();
    const results = {
      'dwolla.client': await fixture.ops.createCustomer({ client: dwolla.client, body: customer }),
      // The plain client sends no bearer token: the fake answers every authorised path, so
      // it is given one issued to dwolla.client.
      'plain fetch': await fixture.ops.createCustomer({
        client: plain,
        body: customer,
        headers: { Authorization: `Bearer ${fake.issued.at(-1)}` },
      }),
    };
    for (const [via, result] of Object.entries(results)) {
      const { response } = result;
      expect({ via, status: String(response.status) }).toEqual({ via, status: wire.status });
      expect(response.headers.get('content-type'), via).toBeNull();
      for (const [header, value] of Object.entries(wire)) {
        if (header !== 'status')
          expect(response.headers.get(header), `${via} ${header}`).toBe(value);
      }
      expect(result.data, via).toBeUndefined();
    }
    // As dwolla.post resolves the same answer.
    expect((await dwolla.post('/customers', customer)).data).toBeUndefined();
  });

  it('still streams a body without Content-Type, byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    fake.api = (_request, res) => {
      res.writeHead(201, { Location: `${fake.origin}/customers/c-1` });
      res.write(bytes.subarray(0, 10));
      res.end(bytes.subarray(10));
    };
    const { dwolla } = clients();
    const { data, response } = await fixture.ops.createCustomer({
      client: dwolla.client,
      body: customer,
    });
    expect(response.headers.get('content-type')).toBeNull();
    expect(data).toBeInstanceOf(ReadableStream);
    const received = Buffer.from(await new Response(data as ReadableStream).arrayBuffer());
    expect(received.equals(bytes)).toBe(true);
  });
});
