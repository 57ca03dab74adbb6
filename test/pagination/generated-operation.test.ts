// dwolla.paginate with a generated list operation: the fixture spec is generated into a
// temporary folder (as a user's spec would be into src/generated), its listCustomers paged over
// a scripted loopback Dwolla, and a consumer file type-checked to prove the items are typed.
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import { createDwollaClient, DwollaRequestRefusedError } from '../../src/index.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { sendJson } from '../helpers/recording-server.js';
import { runScript } from '../helpers/run-script.js';
import { typecheck } from '../helpers/typecheck.js';

type Operation = (options: never) => unknown;

let scratch: string;
let sdk: Record<string, Operation>;
let fake: FakeDwolla;

beforeAll(async () => {
  scratch = await makeTempDir('dwolla-paginate-');
  await writeFile(join(scratch, 'spec.json'), JSON.stringify(fixtureSpec()));
  const generated = await runScript('scripts/generate.ts', [
    '--input',
    join(scratch, 'spec.json'),
    '--output',
    join(scratch, 'client'),
  ]);
  expect(generated.stderr).toBe('');
  sdk = (await import(join(scratch, 'client', 'index.ts'))) as Record<string, Operation>;

  fake = await startFakeDwolla();
  const all = Array.from({ length: 23 }, (_, i) => ({ id: `c-${i}`, firstName: `N${i}` }));
  fake.api = (request, res) => {
    const url = new URL(request.path, fake.origin);
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const more = offset + limit < all.length;
    sendJson(res, 200, {
      _links: more
        ? { next: { href: `${fake.origin}/customers?limit=${limit}&offset=${offset + limit}` } }
        : {},
      _embedded: { customers: all.slice(offset, offset + limit) },
      total: all.length,
    });
  };
});
afterAll(async () => {
  await fake?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('dwolla.paginate(generatedListOperation, options)', () => {
  it("pages the operation's URL, with its query serialised by the generated client", async () => {
    const dwolla = createDwollaClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
    });
    const ids: string[] = [];
    for await (const customer of dwolla.paginate(sdk.listCustomers!, {
      query: { limit: 10 },
    } as never)) {
      ids.push((customer as { id: string }).id);
    }
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => `c-${i}`));
    expect(fake.apiRequests().map((r) => r.path)).toEqual([
      '/customers?limit=10',
      '/customers?limit=10&offset=10',
      '/customers?limit=10&offset=20',
    ]);
  });

  it('refuses an operation that is not a GET, before sending anything', async () => {
    const dwolla = createDwollaClient({ key: KEY, secret: SECRET, baseUrl: fake.origin });
    const before = fake.server.requests.length;
    const iterator = dwolla.paginate(sdk.createCustomer!, { body: {} } as never);
    await expect(iterator.next()).rejects.toThrow(DwollaRequestRefusedError);
    await expect(
      dwolla.paginate((() => undefined) as Operation, {} as never).next(),
    ).rejects.toThrow(/a function that sends nothing/);
    expect(fake.server.requests.length).toBe(before);
  });

  it('types the items and the options from the operation (tsc)', async () => {
    const consumer = join(scratch, 'consumer.ts');
    await writeFile(
      consumer,
      `import { createDwollaClient } from ${JSON.stringify(resolve('src/index.js'))};
import { listCustomers } from './client/index.js';
const dwolla = createDwollaClient({ key: 'k', secret: 's', environment: 'sandbox' });
export async function names(): Promise<string[]> {
  const out: string[] = [];
  for await (const customer of dwolla.paginate(listCustomers, { query: { limit: 10 } })) {
    out.push(customer.firstName, customer.id);
    // @ts-expect-error lastName is not a field of the fixture's Customer
    out.push(customer.lastName);
  }
  // @ts-expect-error limit is a number in the spec
  dwolla.paginate(listCustomers, { query: { limit: 'ten' } });
  for await (const item of dwolla.paginate('/customers')) {
    // @ts-expect-error a plain target yields unknown unless typed
    out.push(item.id);
  }
  for await (const item of dwolla.paginate<{ id: string }>('/customers')) out.push(item.id);
  return out;
}
`,
    );
    const run = typecheck(scratch, [consumer]);
    await expect(run).resolves.toMatchObject({ stdout: '' });
  });
});
