// The workflows end to end: the public client on the public emulator, stateful, on Dwolla's full
// spec (test data from ../shared, never committed): paging created customers, uploading documents.
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  createDwollaClient,
  DwollaRequestRefusedError,
  type DwollaClient,
} from '../../src/index.js';
import { makeTempDir } from '../../scripts/codegen.js';
import { runScript } from '../helpers/run-script.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { personal } from '../emulator/sandbox-kit.js';

const KEY = 'workflows key';
const SECRET = 'workflows secret';
const MB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** An unverified customer, as Dwolla's spec takes it. */
const customer = (n: number | string) => ({
  firstName: `Jane${n}`,
  lastName: 'Doe',
  email: `jane.${n}@example.com`,
  type: 'unverified',
});

describe.skipIf(!HAS_UPSTREAM_SPEC)("workflows on the emulator, Dwolla's full spec", () => {
  let emu: Emulator;
  let dwolla: DwollaClient;
  /** Every request body the transport put on the wire to the emulator, as bytes. */
  const wire: { url: string; contentType: string | null; bytes: Uint8Array }[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ spec: UPSTREAM_SPEC, key: KEY, secret: SECRET });
    dwolla = createDwollaClient({
      key: KEY,
      secret: SECRET,
      baseUrl: emu.url,
      // A transport that keeps what it sends: the bytes the emulator receives.
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const bytes = new Uint8Array(await request.arrayBuffer());
        wire.push({ url: request.url, contentType: request.headers.get('content-type'), bytes });
        return fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.method === 'GET' ? undefined : bytes,
          redirect: 'manual',
        });
      },
    });
  });
  afterAll(() => emu?.close());

  it('pages 45 created customers with limit 10: each comes back exactly once', async () => {
    const created: string[] = [];
    for (let i = 0; i < 45; i++) {
      const { location } = await dwolla.post('/customers', customer(i));
      expect(location).toMatch(new RegExp(`^${emu.url}/customers/[0-9a-f-]{36}$`));
      created.push(location!);
    }
    const before = emu.stats().calls.listAndSearchCustomers ?? 0;
    const seen: string[] = [];
    for await (const customer of dwolla.paginate<{ _links: { self: { href: string } } }>(
      '/customers',
      { query: { limit: 10 } },
    )) {
      seen.push(customer._links.self.href);
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen)).toEqual(new Set(created));
    expect((emu.stats().calls.listAndSearchCustomers ?? 0) - before).toBe(5);
  });

  it("pages the same customers with the generated listAndSearchCustomers (Dwolla's spec, generated into a temporary folder)", async () => {
    const scratch = await makeTempDir('dwolla-workflows-');
    try {
      const output = join(scratch, 'client');
      const generated = await runScript('scripts/generate.ts', [
        '--input',
        UPSTREAM_SPEC,
        '--output',
        output,
      ]);
      expect(generated.code).toBe(0);
      const sdk = (await import(join(output, 'index.ts'))) as {
        listAndSearchCustomers: (options: never) => unknown;
      };
      const emails: string[] = [];
      for await (const item of dwolla.paginate(sdk.listAndSearchCustomers, {
        query: { limit: 10 },
      } as never)) {
        emails.push((item as { email: string }).email);
      }
      expect(emails.filter((e) => /^jane\.\d+@/.test(e)).sort()).toEqual(
        Array.from({ length: 45 }, (_, i) => `jane.${i}@example.com`).sort(),
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('uploads a 2 MB document: 201 with a location under /documents/, received intact', async () => {
    // The Sandbox takes documents from a verified customer asked for one (named `document`).
    const { location: owner } = await dwolla.post('/customers', personal('document', 'upload'));
    const bytes = new Uint8Array(randomBytes(2 * MB));
    const uploaded = await dwolla.uploadDocument(
      { href: `${owner}/documents` },
      {
        file: new Blob([bytes], { type: 'image/jpeg' }),
        filename: 'passport.jpg',
        documentType: 'passport',
      },
    );
    expect(uploaded.response.status).toBe(201);
    expect(uploaded.location).toMatch(new RegExp(`^${emu.url}/documents/[0-9a-f-]{36}$`));

    const sent = wire.filter((w) => w.url === `${owner}/documents`);
    expect(sent).toHaveLength(1);
    const form = await new Response(sent[0]!.bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'Content-Type': sent[0]!.contentType! },
    }).formData();
    const file = form.get('file') as File;
    expect(form.get('documentType')).toBe('passport');
    expect(file.name).toBe('passport.jpg');
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(bytes));

    const document = await dwolla.get<{ _links: { self: { href: string } } }>({
      href: uploaded.location!,
    });
    expect(document.data._links.self.href).toBe(uploaded.location);
  });

  it('refuses an 11 MB document with no request sent', async () => {
    const { location: owner } = await dwolla.post('/customers', customer('big'));
    const requests = emu.requests().length;
    const sends = wire.length;
    const error = await dwolla
      .uploadDocument(
        { href: `${owner}/documents` },
        {
          file: new Uint8Array(11 * MB),
          filename: 'scan.pdf',
          documentType: 'other',
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaRequestRefusedError);
    expect(emu.requests().length).toBe(requests);
    expect(wire.length).toBe(sends);
  });
});
