// Request bodies through dwolla.fetch, as fetch itself would send them. The oracle is Node's own
// `Request` (its body extraction shares no code with the pipeline's): the same bytes and the
// same Content-Type reach the server for every body kind fetch takes.
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DwollaAbortError, DwollaRequestRefusedError } from '../../src/index.js';
import { ok, eachScriptedDwolla, type ScriptedDwolla } from './scripted-dwolla.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Each body kind fetch accepts, made fresh per call (a stream is read once). */
const BODIES: Array<[string, () => BodyInit | null]> = [
  ['a string', () => '{"amount":"1.00"}'],
  ['null', () => null],
  ['an ArrayBuffer', () => bytes('array buffer').buffer],
  ['a Uint8Array view into a larger buffer', () => bytes('..view..').subarray(2, 6)],
  ['a DataView', () => new DataView(bytes('data view').buffer, 5)],
  ['URLSearchParams', () => new URLSearchParams({ a: '1 2', b: 'é' })],
  ['a typed Blob', () => new Blob(['{"x":1}'], { type: 'application/json' })],
  ['an untyped Blob', () => new Blob(['plain'])],
  [
    'a ReadableStream',
    () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes('chunk one, '));
          controller.enqueue(bytes('chunk two'));
          controller.close();
        },
      }),
  ],
];

/** What fetch would send: the body's bytes and Content-Type, from Node's Request. */
async function oracle(body: BodyInit | null) {
  const request = new Request('http://127.0.0.1/', {
    method: 'POST',
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return {
    bytes: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? undefined,
  };
}

describe('request bodies through dwolla.fetch', () => {
  let fake!: ScriptedDwolla;
  eachScriptedDwolla((f) => {
    fake = f;
    fake.script((_n, _r, res) => ok(res));
  });

  it.each(BODIES)('%s: the bytes and Content-Type fetch would send', async (_name, make) => {
    const expected = await oracle(make());
    const response = await fake
      .client()
      .fetch(`${fake.origin}/bodies`, { method: 'POST', body: make() });
    expect(response.status).toBe(200);
    const [received] = fake.apiRequests();
    expect(received!.bytes.equals(expected.bytes)).toBe(true);
    expect(received!.headers['content-type']).toBe(expected.contentType);
  });

  it('sends the bytes as they were when called: a later change to the buffer is not sent', async () => {
    const buffer = bytes('original');
    const sent = fake.client().fetch(`${fake.origin}/bodies`, { method: 'POST', body: buffer });
    buffer.set(bytes('CHANGED!'));
    await sent;
    expect(fake.apiRequests()[0]!.body).toBe('original');
  });

  it.each([
    ['a number', 42],
    ['a plain object', { amount: '1.00' }],
  ])('refuses %s as a body, unsent', async (_name, body) => {
    const sent = fake
      .client()
      .fetch(`${fake.origin}/bodies`, { method: 'POST', body: body as unknown as BodyInit });
    await expect(sent).rejects.toThrow(DwollaRequestRefusedError);
    await expect(sent).rejects.toThrow(/not a string, bytes, Blob, FormData/);
    expect(fake.apiRequests()).toHaveLength(0);
  });

  it('refuses a file Blob that can no longer be read (the file changed), unsent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dwolla-body-'));
    try {
      const path = join(dir, 'statement.pdf');
      await writeFile(path, 'first version');
      const blob = await openAsBlob(path);
      await writeFile(path, 'a longer second version');
      const error = await fake
        .client()
        .fetch(`${fake.origin}/bodies`, { method: 'POST', body: blob })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DwollaRequestRefusedError);
      expect((error as Error).message).toMatch(/body could not be read/);
      expect(fake.apiRequests()).toHaveLength(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a GET or HEAD with a body is refused, unsent, as fetch refuses it', async () => {
    for (const method of ['GET', 'HEAD']) {
      const sent = fake.client().fetch(new URL('/bodies', fake.origin), { method, body: 'x' });
      await expect(sent).rejects.toThrow(DwollaRequestRefusedError);
      expect(() => new Request(fake.origin, { method, body: 'x' })).toThrow(TypeError);
    }
    expect(fake.apiRequests()).toHaveLength(0);
  });

  it('a URL object and a Request are sent as a string URL is', async () => {
    const dwolla = fake.client();
    await dwolla.fetch(new URL('/bodies?via=url', fake.origin), { method: 'post', body: 'a' });
    await dwolla.fetch(
      new Request(`${fake.origin}/bodies?via=request`, { method: 'PUT', body: 'b' }),
    );
    expect(fake.apiRequests().map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/bodies?via=url', 'a'],
      ['PUT', '/bodies?via=request', 'b'],
    ]);
  });

  it("a stalled stream body ends with the caller's abort, as a DwollaAbortError, unsent", async () => {
    const controller = new AbortController();
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes('first chunk, then nothing'));
      },
    });
    const sent = fake.client().fetch(`${fake.origin}/bodies`, {
      method: 'POST',
      body: stalled,
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    setTimeout(() => controller.abort(), 50);
    await expect(sent).rejects.toBeInstanceOf(DwollaAbortError);
    expect(fake.apiRequests()).toHaveLength(0);
  });
});
