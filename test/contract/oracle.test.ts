import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResult } from '../../contract/client-result.js';
import { createOracle } from '../../contract/oracle.js';
import { runContract } from '../../contract/run-contract.js';
import { checkUploads } from '../../contract/upload.js';
import { makeTempDir } from '../../scripts/codegen.js';
import type { RecordedRequest } from '../../src/emulator/index.js';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';

let scratch: string;
let fixture: string;
beforeAll(async () => {
  scratch = await makeTempDir('dwolla-oracle-');
  fixture = join(scratch, 'fixture.json');
  await writeFile(fixture, JSON.stringify(fixtureSpec()));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the contract suite as an oracle', () => {
  it(
    'passes the fixture spec: optional query, multipart upload, 201 with data undefined',
    {
      timeout: 300_000,
    },
    async () => {
      const { results } = await runContract({ spec: fixture });
      expect(results.filter((r) => r.problems.length > 0)).toEqual([]);
      expect(results.map((r) => r.operationId)).toContain('createCustomerDocument');
    },
  );

  it(
    'fails exactly the operation whose response is broken, judged by its own validator',
    {
      timeout: 300_000,
    },
    async () => {
      const { results } = await runContract({
        spec: fixture,
        breakResponse: (id) => (id === 'getCustomer' ? { id: 42 } : undefined),
      });
      const failed = results.filter((r) => r.problems.length > 0);
      expect(failed.map((r) => r.operationId)).toEqual(['getCustomer']);
      expect(failed[0]!.problems).toEqual([
        "response body / must have required property 'firstName'",
        'response body /id must be string',
      ]);
    },
  );
});

describe('createOracle', () => {
  it('reads oneOf as JSON Schema does (exactly one branch), unlike the lenient emulator', () => {
    const doc = {
      openapi: '3.1.0',
      paths: {},
      components: {
        schemas: { Either: { oneOf: [{ type: 'object' }, { required: ['id'] }] } },
      },
    } as OpenApiDocument;
    const judge = createOracle(doc);
    expect(judge('#/components/schemas/Either', { id: 'x' })).toEqual([
      '/ must match exactly one schema in oneOf',
    ]);
    expect(judge('#/components/schemas/Either', 'x')).toEqual([]);
  });
});

describe('compareResult', () => {
  const wire = { status: 201, headers: { location: 'http://h/c/1' }, body: '' };
  const response = (status: number, headers: Record<string, string> = {}) =>
    new Response(null, { status, headers });

  it('holds when status, Location and data match the wire (empty body: data undefined)', () => {
    expect(compareResult({ data: undefined, response: response(201, wire.headers) }, wire)).toEqual(
      [],
    );
  });

  it('reports a ReadableStream or {} for an empty body, and another status or Location', () => {
    const stream = new Response('').body;
    expect(compareResult({ data: stream, response: response(201, wire.headers) }, wire)).toEqual([
      'the client returned data a ReadableStream, the wire had (empty)',
    ]);
    expect(compareResult({ data: {}, response: response(200) }, wire)).toEqual([
      'the client returned status 200, the wire had 201',
      'the client returned Location undefined, the wire had http://h/c/1',
      'the client returned data {}, the wire had (empty)',
    ]);
  });
});

describe('checkUploads', () => {
  async function recorded(form: FormData): Promise<RecordedRequest> {
    const request = new Request('http://h/', { method: 'POST', body: form });
    return {
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'content-type': request.headers.get('content-type')! },
      body: await request.text(),
    } as unknown as RecordedRequest;
  }

  it('reports a file part that arrived renamed, retyped or with other bytes', async () => {
    const form = new FormData();
    form.append('file', new File(['%PDF-other'], 'x.txt', { type: 'text/plain' }));
    form.append('text', 'not a file');
    expect(await checkUploads(await recorded(form), ['file', 'text'])).toEqual([
      'file part file arrived named x.txt',
      'file part file arrived as text/plain',
      'file part file arrived with other bytes (10 of 83)',
      'file part text did not arrive as a file',
    ]);
  });
});
