/**
 * A WHATWG `Response` whose body is already in memory: what `createUndiciFetch()` resolves to,
 * and what the read-body stage hands on (the bytes it read, or the transport's response as is).
 *
 * `new Response(bytes)` wraps the bytes in a ReadableStream and `text()` reads them back out
 * through it; in Node 20 that costs more CPU than the HTTP exchange that produced them. This
 * subclass keeps the bytes and serves `text()` / `json()` / `arrayBuffer()` / `bytes()` straight
 * from them, builds its `Headers` only when asked, and creates a real stream-backed `Response`
 * only for `body`, `blob()` and `formData()`. It is a real `Response` (`instanceof Response`),
 * with the same one-shot body semantics: a second read rejects with a TypeError.
 */

export interface BufferedResponseInit {
  status: number;
  statusText: string;
  /** Node's `rawHeaders` ([name, value, name, value, …]), or a `Headers` to copy on first use. */
  rawHeaders: readonly string[] | Headers;
  url: string;
  redirected: boolean;
  /** Default `basic` (what fetch gives for a same-origin answer). */
  type?: ResponseType;
}

/**
 * The key of a buffered response's in-memory body: `response[BUFFERED_BODY]()` gives its bytes
 * (`null` for a null body) and init while it is unread, so that a reader can take them without
 * a stream. `Symbol.for`, because each entry point of this package bundles its own copy of this
 * class: the client's read-body stage must know the transport's responses.
 */
export const BUFFERED_BODY = Symbol.for('dwolla-openapi-client.bufferedBody');

export interface BufferedBody {
  bytes: Uint8Array | null;
  init: BufferedResponseInit;
}

/** The key of a buffered response's header lookup that needs no `Headers` (see responseHeader). */
export const BUFFERED_HEADER = Symbol.for('dwolla-openapi-client.bufferedHeader');

/**
 * `response.headers.get(name)`; for a buffered response, read from its raw headers without
 * building the `Headers` object (a call reads one or two headers of a successful response).
 */
export function responseHeader(response: Response, name: string): string | null {
  const get = (response as { [BUFFERED_HEADER]?: unknown })[BUFFERED_HEADER];
  return typeof get === 'function'
    ? (get.call(response, name) as string | null)
    : response.headers.get(name);
}

/** HTTP whitespace around a value, which `Headers` removes. */
const OUTER_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** The unread in-memory body of a buffered response; undefined for any other Response. */
export function bufferedBody(response: Response): BufferedBody | undefined {
  const take = (response as { [BUFFERED_BODY]?: unknown })[BUFFERED_BODY];
  return typeof take === 'function' ? (take.call(response) as BufferedBody | undefined) : undefined;
}

const decoder = new TextDecoder();

function unusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
}

function toHeaders(raw: readonly string[] | Headers): Headers {
  if (raw instanceof Headers) return new Headers(raw);
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

// Defined on first use: evaluating `extends Response` makes Node load its fetch implementation
// (undici), which costs tens of milliseconds; importing this module must not pay for that.
function defineBufferedResponse() {
  return class BufferedResponse extends Response {
    /** The body bytes; `null` for a null body (204, HEAD…). */
    readonly #bytes: Uint8Array | null;
    readonly #init: BufferedResponseInit;
    #used = false;
    #headers: Headers | undefined;
    /** Stream-backed twin, created on first use of `body`, `blob()` or `formData()`. */
    #real: Response | undefined;

    constructor(bytes: Uint8Array | null, init: BufferedResponseInit) {
      super(null, { status: init.status, statusText: init.statusText });
      this.#bytes = bytes;
      this.#init = init;
    }

    override get type(): ResponseType {
      return this.#init.type ?? 'basic';
    }

    override get url(): string {
      return this.#init.url;
    }

    override get redirected(): boolean {
      return this.#init.redirected;
    }

    override get headers(): Headers {
      return (this.#headers ??= toHeaders(this.#init.rawHeaders));
    }

    #toReal(): Response {
      if (this.#real === undefined) {
        this.#real = new Response(
          (this.#used ? new Uint8Array(0) : this.#bytes) as Uint8Array<ArrayBuffer> | null,
          {
            status: this.status,
            statusText: this.statusText,
            headers: this.headers,
          },
        );
        // Read through the fast path already: the twin's stream must look read too.
        if (this.#used) void this.#real.arrayBuffer();
      }
      return this.#real;
    }

    override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
      if (this.#bytes === null) return null;
      return this.#toReal().body as ReadableStream<Uint8Array<ArrayBuffer>> | null;
    }

    override get bodyUsed(): boolean {
      return this.#real === undefined ? this.#used : this.#real.bodyUsed;
    }

    /** `headers.get(name)` from the raw headers while no `Headers` was built (see responseHeader). */
    [BUFFERED_HEADER](name: string): string | null {
      const raw = this.#init.rawHeaders;
      if (this.#headers !== undefined || raw instanceof Headers) return this.headers.get(name);
      const wanted = name.toLowerCase();
      let value: string | null = null;
      for (let i = 0; i < raw.length; i += 2) {
        if (raw[i]!.toLowerCase() !== wanted) continue;
        const one = raw[i + 1]!.replace(OUTER_WHITESPACE, '');
        value = value === null ? one : `${value}, ${one}`;
      }
      return value;
    }

    /** The in-memory body while unread and not streamed (see BUFFERED_BODY). */
    [BUFFERED_BODY](): BufferedBody | undefined {
      if (this.#used || this.#real !== undefined) return undefined;
      return { bytes: this.#bytes, init: this.#init };
    }

    /** The bytes, marking the body read; undefined when it was already read. */
    #take(): Uint8Array | undefined {
      if (this.#used) return undefined;
      this.#used = true;
      return this.#bytes ?? new Uint8Array(0);
    }

    override text(): Promise<string> {
      if (this.#real !== undefined) return this.#real.text();
      const bytes = this.#take();
      // TextDecoder: UTF-8 with BOM removal and U+FFFD replacement, exactly as Response.text().
      return bytes === undefined ? unusable() : Promise.resolve(decoder.decode(bytes));
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Response.json()'s own signature
    override json(): Promise<any> {
      if (this.#real !== undefined) return this.#real.json();
      const bytes = this.#take();
      if (bytes === undefined) return unusable();
      try {
        return Promise.resolve(JSON.parse(decoder.decode(bytes)));
      } catch (error) {
        return Promise.reject(error);
      }
    }

    override arrayBuffer(): Promise<ArrayBuffer> {
      if (this.#real !== undefined) return this.#real.arrayBuffer();
      const bytes = this.#take();
      if (bytes === undefined) return unusable();
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return Promise.resolve(copy.buffer);
    }

    override bytes(): Promise<Uint8Array<ArrayBuffer>> {
      return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    }

    override blob(): Promise<Blob> {
      return this.#toReal().blob();
    }

    override formData(): Promise<FormData> {
      return this.#toReal().formData();
    }

    override clone(): Response {
      if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
      if (this.#real !== undefined) return this.#real.clone();
      return new BufferedResponse(this.#bytes, this.#init);
    }
  };
}

type BufferedResponseClass = ReturnType<typeof defineBufferedResponse>;
let BufferedResponseClass: BufferedResponseClass | undefined;

/** A `Response` (see above) holding `bytes` (`null` for a null body) in memory. */
export function createBufferedResponse(
  bytes: Uint8Array | null,
  init: BufferedResponseInit,
): Response {
  BufferedResponseClass ??= defineBufferedResponse();
  return new BufferedResponseClass(bytes, init);
}
