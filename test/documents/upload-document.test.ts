// dwolla.uploadDocument against a scripted loopback Dwolla: what arrives is parsed with the
// platform's multipart parser (Response#formData) and compared byte for byte (SHA-256).
import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import {
  DWOLLA_DOCUMENT_MAX_BYTES,
  DwollaError,
  DwollaRequestRefusedError,
  type DocumentFile,
  type DwollaClient,
} from '../../src/index.js';
import { KEY, SECRET, noSleep, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import type { RecordedRequest } from '../helpers/recording-server.js';
import { testClient } from '../helpers/test-client.js';

const MB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let fake: FakeDwolla;
let dwolla: DwollaClient;
let documents = 0;

beforeEach(async () => {
  fake = await startFakeDwolla();
  documents = 0;
  fake.api = (_request, res) => {
    res.writeHead(201, { Location: `${fake.origin}/documents/d-${++documents}` }).end();
  };
  dwolla = testClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });
});
afterEach(() => fake.close());

async function received(request: RecordedRequest) {
  const form = await new Response(request.bytes as Uint8Array<ArrayBuffer>, {
    headers: { 'Content-Type': request.headers['content-type']! },
  }).formData();
  const file = form.get('file') as File;
  return {
    contentType: request.headers['content-type'],
    documentType: form.get('documentType'),
    filename: file.name,
    type: file.type,
    sha256: sha256(new Uint8Array(await file.arrayBuffer())),
  };
}

function chunked(bytes: Uint8Array, size = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += size)));
    },
  });
}

describe('dwolla.uploadDocument', () => {
  it('sends a 2 MB file as multipart/form-data and resolves the new document’s location', async () => {
    const bytes = new Uint8Array(randomBytes(2 * MB));
    const result = await dwolla.uploadDocument('/customers/c-1/documents', {
      file: bytes,
      filename: 'passport.jpg',
      documentType: 'passport',
    });
    expect(result.response.status).toBe(201);
    expect(result.location).toBe(`${fake.origin}/documents/d-1`);
    const [request] = fake.apiRequests();
    expect(request).toMatchObject({ method: 'POST', path: '/customers/c-1/documents' });
    expect(await received(request!)).toEqual({
      contentType: expect.stringMatching(/^multipart\/form-data; boundary=/),
      documentType: 'passport',
      filename: 'passport.jpg',
      type: 'image/jpeg',
      sha256: sha256(bytes),
    });
  });

  it('takes a Blob, a File, a Buffer, an ArrayBuffer, a stream and a file on disk, intact', async () => {
    const bytes = new Uint8Array(randomBytes(300 * 1024));
    const dir = await makeTempDir('dwolla-upload-');
    try {
      await writeFile(join(dir, 'id.pdf'), bytes);
      const files: [DocumentFile, string][] = [
        [new Blob([bytes]), 'a.png'],
        [new File([bytes], 'ignored.bin', { type: 'application/pdf' }), 'b.pdf'],
        [Buffer.from(bytes), 'c.jpeg'],
        [bytes.slice().buffer, 'd.PNG'],
        [chunked(bytes), 'e.pdf'],
        [await openAsBlob(join(dir, 'id.pdf'), { type: 'application/pdf' }), 'f.pdf'],
      ];
      for (const [file, filename] of files) {
        await dwolla.uploadDocument(
          { href: `${fake.origin}/customers/c-2/documents` },
          {
            file,
            filename,
            documentType: 'idCard',
          },
        );
      }
      const got = await Promise.all(fake.apiRequests().map(received));
      expect(got.map((g) => [g.filename, g.type])).toEqual([
        ['a.png', 'image/png'],
        ['b.pdf', 'application/pdf'],
        ['c.jpeg', 'image/jpeg'],
        ['d.PNG', 'image/png'],
        ['e.pdf', 'application/pdf'],
        ['f.pdf', 'application/pdf'],
      ]);
      expect(new Set(got.map((g) => g.sha256))).toEqual(new Set([sha256(bytes)]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replays the same bytes after a 401 (a stream read once, sent twice)', async () => {
    const bytes = new Uint8Array(randomBytes(1 * MB));
    fake.revoke(await dwolla.getAccessToken());
    const result = await dwolla.uploadDocument('/beneficial-owners/b-1/documents', {
      file: chunked(bytes),
      filename: 'license.png',
      documentType: 'license',
    });
    expect(result.location).toBe(`${fake.origin}/documents/d-1`);
    const [first, replay] = fake.apiRequests();
    expect(fake.apiRequests()).toHaveLength(2);
    expect(first!.headers.authorization).toBe('Bearer tok-1');
    expect(replay!.headers.authorization).toBe('Bearer tok-2');
    expect((await received(first!)).sha256).toBe(sha256(bytes));
    expect((await received(replay!)).sha256).toBe(sha256(bytes));
  });

  describe('refuses before anything is sent', () => {
    const over = DWOLLA_DOCUMENT_MAX_BYTES + 1;
    const cases: [string, () => DocumentFile, string, string | undefined, RegExp][] = [
      [
        'an 11 MB Uint8Array',
        () => new Uint8Array(11 * MB),
        'a.pdf',
        undefined,
        /over Dwolla's limit/,
      ],
      [
        'a Blob one byte over 10 MB',
        () => new Blob([new Uint8Array(over)]),
        'a.pdf',
        undefined,
        /is 10485761 bytes/,
      ],
      [
        'an 11 MB stream',
        () => chunked(new Uint8Array(11 * MB), MB),
        'a.pdf',
        undefined,
        /more than 10485760/,
      ],
      ['a GIF', () => new Uint8Array(10), 'a.gif', 'image/gif', /does not take image\/gif/],
      [
        'a text file',
        () => new Blob(['hi'], { type: 'text/plain' }),
        'a.txt',
        undefined,
        /does not take text\/plain/,
      ],
      [
        'a file of unknown type',
        () => new Uint8Array(10),
        'scan',
        undefined,
        /cannot tell the type of "scan"/,
      ],
      [
        'a stream of strings',
        () => new ReadableStream({ start: (c) => c.enqueue('text') }) as unknown as DocumentFile,
        'a.pdf',
        undefined,
        /stream must yield Uint8Array chunks/,
      ],
      ['a number', () => 42 as unknown as DocumentFile, 'a.pdf', undefined, /file must be a Blob/],
    ];
    it.each(cases)('%s', async (_name, file, filename, contentType, message) => {
      const error = await dwolla
        .uploadDocument('/customers/c-1/documents', {
          file: file(),
          filename,
          documentType: 'passport',
          ...(contentType === undefined ? {} : { contentType }),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaRequestRefusedError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/nothing was sent/);
      expect(fake.server.requests).toEqual([]);
    });

    it('a target that is not a documents collection, or missing filename or documentType', async () => {
      const file = new Uint8Array(10);
      const attempts = [
        dwolla.uploadDocument('/customers/c-1', { file, filename: 'a.pdf', documentType: 'other' }),
        dwolla.uploadDocument('/customers/c-1/documents', {
          file,
          filename: '',
          documentType: 'other',
        }),
        dwolla.uploadDocument('/customers/c-1/documents', {
          file,
          filename: 'a.pdf',
          documentType: undefined as unknown as string,
        }),
        dwolla.uploadDocument('/customers/c-1/documents', undefined as never),
        dwolla.uploadDocument('https://evil.example/customers/c-1/documents', {
          file,
          filename: 'a.pdf',
          documentType: 'other',
        }),
      ];
      const errors = await Promise.all(attempts.map((p) => p.catch((e: unknown) => e)));
      expect(errors.map((e) => e instanceof DwollaRequestRefusedError)).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect((errors[0] as Error).message).toMatch(/must be a documents collection/);
      expect(fake.server.requests).toEqual([]);
    });

    it("a stream when the caller's signal aborts while it is read", async () => {
      const controller = new AbortController();
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (++pulled === 3) controller.abort();
          c.enqueue(new Uint8Array(1024));
        },
      });
      const error = await dwolla
        .uploadDocument('/customers/c-1/documents', {
          file: stream,
          filename: 'a.pdf',
          documentType: 'other',
          signal: controller.signal,
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaError);
      expect(fake.server.requests).toEqual([]);
    });
  });
});
