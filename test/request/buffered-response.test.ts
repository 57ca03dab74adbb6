import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  bufferedBody,
  createBufferedResponse,
  decodeUtf8,
  responseHeader,
  type BufferedResponseInit,
} from '../../src/request/buffered-response.js';

const init: BufferedResponseInit = {
  status: 200,
  statusText: 'OK',
  rawHeaders: ['Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'],
  url: 'http://127.0.0.1/x',
  redirected: false,
};
const bytes = (s: string) => new TextEncoder().encode(s);
const make = (body: string | null = '{"a":1}') =>
  createBufferedResponse(body === null ? null : bytes(body), init);

describe('BufferedResponse', () => {
  it('is a Response with status, headers, url and type', () => {
    const res = make();
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.statusText).toBe('OK');
    expect(res.url).toBe('http://127.0.0.1/x');
    expect(res.redirected).toBe(false);
    expect(res.type).toBe('basic');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers).toBe(res.headers);
  });

  it('responseHeader reads a header as headers.get does, before and after Headers is built', () => {
    const raw = ['Location', ' /a\t', 'X-Multi', 'one', 'x-multi', 'two', 'Content-Type', 'text/x'];
    const expected = new Headers();
    for (let i = 0; i < raw.length; i += 2) expected.append(raw[i]!, raw[i + 1]!);
    const res = createBufferedResponse(null, { ...init, rawHeaders: raw });
    const names = ['location', 'LOCATION', 'X-Multi', 'content-type', 'missing'];
    const read = () => names.map((name) => responseHeader(res, name));
    expect(read()).toEqual(names.map((name) => expected.get(name)));
    expect(read()).toEqual(['/a', '/a', 'one, two', 'text/x', null]);
    expect(res.headers.get('x-multi')).toBe('one, two'); // builds Headers
    expect(read()).toEqual(names.map((name) => expected.get(name)));
    const other = new Response(null, { headers: { Location: '/b' } });
    expect(responseHeader(other, 'location')).toBe('/b');
  });

  it("reads undici's header object (lower-case names, repeated values in an array) as Headers would", () => {
    const record = { location: ' /a\t', 'set-cookie': ['a=1', 'b=2'], 'x-empty': [] as string[] };
    const expected = new Headers([
      ['location', ' /a\t'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    const res = createBufferedResponse(null, { ...init, rawHeaders: record });
    const names = ['Location', 'set-cookie', 'x-empty', 'constructor', 'missing'];
    expect(names.map((n) => responseHeader(res, n))).toEqual(names.map((n) => expected.get(n)));
    expect([...res.headers]).toEqual([...expected]);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('bufferedBody gives the bytes while unread, then nothing; nothing for another Response', async () => {
    const res = make();
    expect(bufferedBody(res)?.bytes).toEqual(bytes('{"a":1}'));
    expect(bufferedBody(res)?.init.url).toBe('http://127.0.0.1/x');
    expect(bufferedBody(make(null))?.bytes).toBeNull();
    await res.text();
    expect(bufferedBody(res)).toBeUndefined();
    const streamed = make();
    void streamed.body;
    expect(bufferedBody(streamed)).toBeUndefined();
    expect(bufferedBody(new Response('x'))).toBeUndefined();
  });

  it('reads text, json, arrayBuffer and bytes exactly once', async () => {
    const text = make();
    expect(text.bodyUsed).toBe(false);
    expect(await text.text()).toBe('{"a":1}');
    expect(text.bodyUsed).toBe(true);
    await expect(text.text()).rejects.toThrow(TypeError);
    await expect(text.json()).rejects.toThrow(TypeError);
    await expect(text.arrayBuffer()).rejects.toThrow(TypeError);

    expect(await make().json()).toEqual({ a: 1 });
    expect(new Uint8Array(await make().arrayBuffer())).toEqual(bytes('{"a":1}'));
    expect(await make().bytes()).toEqual(bytes('{"a":1}'));
  });

  it('decodes like Response.text(): BOM removed, bad UTF-8 replaced', async () => {
    const raw = new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xff, 0x69]);
    const expected = await new Response(raw).text();
    expect(await createBufferedResponse(raw, init).text()).toBe(expected);
    expect(expected).toBe('h\uFFFDi');
  });

  it('decodes any bytes as TextDecoder does (random bytes, BOM or not)', () => {
    const decoder = new TextDecoder();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(random() * 24);
      const bytes = new Uint8Array(length + 3).map(() => Math.floor(random() * 256));
      // Bias towards UTF-8 lead and continuation bytes, and sometimes a BOM.
      for (let j = 0; j < bytes.length; j++)
        if (random() < 0.5) bytes[j] = 0x80 | (bytes[j]! & 0x7f);
      if (random() < 0.3) bytes.set([0xef, 0xbb, 0xbf]);
      const view = bytes.subarray(random() < 0.5 ? 0 : 1);
      expect(decodeUtf8(view)).toBe(decoder.decode(view));
    }
  });

  it('rejects invalid JSON with a SyntaxError', async () => {
    await expect(make('not json').json()).rejects.toThrow(SyntaxError);
  });

  it('does not share its buffer with arrayBuffer() callers', async () => {
    const source = bytes('abc');
    const res = createBufferedResponse(source, init);
    const copy = new Uint8Array(await res.arrayBuffer());
    copy[0] = 0;
    expect(source[0]).toBe(0x61);
  });

  it('serves body as a stream, after which it is used', async () => {
    const res = make();
    const body = res.body!;
    expect(body).toBeInstanceOf(ReadableStream);
    expect(res.body).toBe(body);
    expect(await new Response(body).text()).toBe('{"a":1}');
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it('shows a read body as a used stream', () => {
    const res = make();
    void res.text();
    expect(res.body).not.toBeNull();
    expect(res.bodyUsed).toBe(true);
  });

  it('has a null body for null-body responses', async () => {
    const res = make(null);
    expect(res.body).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('makes blob() and formData() with the content type', async () => {
    const blob = await make().blob();
    expect(blob.type).toBe('application/json');
    expect(await blob.text()).toBe('{"a":1}');
    const form = createBufferedResponse(bytes('a=1&b=2'), {
      ...init,
      rawHeaders: ['content-type', 'application/x-www-form-urlencoded'],
    });
    expect((await form.formData()).get('b')).toBe('2');
  });

  it('clones before use, and refuses to clone after', async () => {
    const res = make();
    const copy = res.clone();
    expect(copy).toBeInstanceOf(Response);
    expect(await copy.json()).toEqual({ a: 1 });
    expect(await res.json()).toEqual({ a: 1 });
    expect(() => res.clone()).toThrow(TypeError);

    const streamed = make();
    void streamed.body;
    expect(await streamed.clone().text()).toBe('{"a":1}');
    expect(await streamed.text()).toBe('{"a":1}');
  });

  it('answers every property and method of Response.prototype as a Response would', async () => {
    // Built without Response's constructor: an accessor or method it did not define itself
    // would throw (it reads that constructor's internal state).
    const names = Object.getOwnPropertyNames(Response.prototype).filter((n) => n !== 'constructor');
    expect(names.length).toBeGreaterThan(10);
    const twin = () =>
      new Response('{"a":1}', {
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'application/json' },
      });
    for (const name of names) {
      const res = createBufferedResponse(bytes('{"a":1}'), {
        ...init,
        rawHeaders: ['content-type', 'application/json'],
      });
      const descriptor = Object.getOwnPropertyDescriptor(Response.prototype, name)!;
      if (descriptor.get) {
        const [ours, real] = [Reflect.get(res, name), Reflect.get(twin(), name)];
        if (name === 'body') expect(ours).toBeInstanceOf(ReadableStream);
        else if (name === 'headers') expect([...(ours as Headers)]).toEqual([...(real as Headers)]);
        else if (name !== 'type' && name !== 'url') expect(ours, name).toEqual(real);
      } else {
        const call = async (r: Response) => {
          try {
            return { value: await (r[name as keyof Response] as () => unknown).call(r) };
          } catch (error) {
            return { error: (error as Error).name };
          }
        };
        const [ours, real] = [await call(res), await call(twin())];
        if (name === 'clone') expect(await (ours.value as Response).text()).toBe('{"a":1}');
        else if (ours.value instanceof Blob) {
          expect(await ours.value.text()).toBe(await (real.value as Blob).text());
        } else expect(ours, name).toEqual(real);
      }
    }
    const res = make();
    expect(res.status).toBe(200);
    expect(Object.prototype.toString.call(res)).toBe('[object Response]');
    expect(inspect(res)).toContain('status: 200');
    expect(() => createBufferedResponse(null, { ...init, status: 101 })).toThrow(RangeError);
  });
});
