/**
 * A WHATWG `Response` whose body is already in memory: what `createUndiciFetch()` resolves to,
 * and what the read-body stage hands on (the bytes it read, or the transport's response as is).
 *
 * `new Response(bytes)` wraps the bytes in a ReadableStream and `text()` reads them back out
 * through it; in Node 20 that costs more CPU than the HTTP exchange that produced them. This
 * subclass keeps the bytes and serves `text()` / `json()` / `arrayBuffer()` / `bytes()` straight
 * from them, builds its `Headers` only when asked, and creates a real stream-backed `Response`
 * only for `body`, `blob()` and `formData()`. It is a `Response` (`instanceof Response`, every
 * property and method of `Response.prototype` answered, a test checks each), with the same
 * one-shot body semantics: a second read rejects with a TypeError.
 *
 * It never runs `Response`'s own constructor (WebIDL conversions, a Headers list, a body
 * record: most of a call's work for a client on a fast transport, and code the JIT must warm up):
 * its base constructor returns a bare object on the subclass's prototype chain, which the class
 * then fills. So `Response.prototype`'s own accessors, which read that constructor's internal
 * state, are never reached: the class answers each itself.
 */

/** Response headers as undici's dispatcher gives them. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface BufferedResponseInit {
  status: number;
  statusText: string;
  /**
   * Node's `rawHeaders` ([name, value, name, value, …]), undici's header object (names in lower
   * case, a repeated header's values in an array), or a `Headers` to copy on first use.
   */
  rawHeaders: readonly string[] | HeaderRecord | Headers;
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
/** What decodeUtf8 uses of Node's Buffer (typed here: the client needs no Node types). */
interface NodeBufferClass {
  isBuffer(value: unknown): boolean;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array & NodeBufferMethods;
}
interface NodeBufferMethods {
  toString(encoding: 'utf8', start: number): string;
}
/** Node's Buffer, where there is one (the client itself runs on any fetch runtime). */
const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;

/**
 * UTF-8 with BOM removal and U+FFFD replacement, exactly as Response.text() (TextDecoder); on
 * Node by Buffer's decoder, V8's, which replaces bad sequences by the same (WHATWG) rule at a
 * fraction of TextDecoder's cost per call. A test compares the two over random bytes.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (NodeBuffer === undefined) return decoder.decode(bytes);
  const buffer = NodeBuffer.isBuffer(bytes)
    ? (bytes as Uint8Array & NodeBufferMethods)
    : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0);
}

function unusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
}

function toHeaders(raw: BufferedResponseInit['rawHeaders']): Headers {
  if (raw instanceof Headers) return new Headers(raw);
  const headers = new Headers();
  if (isFlat(raw)) {
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    return headers;
  }
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (typeof value === 'string') headers.append(name, value);
    else if (value !== undefined) for (const one of value) headers.append(name, one);
  }
  return headers;
}

function isFlat(raw: readonly string[] | HeaderRecord): raw is readonly string[] {
  return Array.isArray(raw);
}

/** `Headers#get` over raw headers: values trimmed, a repeated header's joined by ", ". */
function rawHeader(raw: readonly string[] | HeaderRecord, name: string): string | null {
  const wanted = name.toLowerCase();
  if (!isFlat(raw)) {
    const value = Object.hasOwn(raw, wanted) ? raw[wanted] : undefined;
    if (value === undefined) return null;
    if (typeof value === 'string') return value.replace(OUTER_WHITESPACE, '');
    return value.length === 0 ? null : value.map((v) => v.replace(OUTER_WHITESPACE, '')).join(', ');
  }
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== wanted) continue;
    const one = raw[i + 1]!.replace(OUTER_WHITESPACE, '');
    value = value === null ? one : `${value}, ${one}`;
  }
  return value;
}

/**
 * A base whose constructor returns a bare object inheriting from the class being built, whose
 * prototype chain ends in `Response.prototype` (set in defineBufferedResponse).
 */
function BareResponse(this: unknown): object {
  return Object.create(new.target.prototype as object) as object;
}

// Defined on first use: reading `Response` makes Node load its fetch implementation (undici),
// which costs tens of milliseconds; importing this module must not pay for that.
function defineBufferedResponse() {
  Object.setPrototypeOf(BareResponse.prototype, Response.prototype);
  const Base = BareResponse as unknown as typeof Response;
  return class BufferedResponse extends Base {
    /** The body bytes; `null` for a null body (204, HEAD…). */
    readonly #bytes: Uint8Array | null;
    readonly #init: BufferedResponseInit;
    #used = false;
    #headers: Headers | undefined;
    /** Stream-backed twin, created on first use of `body`, `blob()` or `formData()`. */
    #real: Response | undefined;

    constructor(bytes: Uint8Array | null, init: BufferedResponseInit) {
      super();
      this.#bytes = bytes;
      this.#init = init;
    }

    override get status(): number {
      return this.#init.status;
    }

    override get ok(): boolean {
      return this.#init.status >= 200 && this.#init.status <= 299;
    }

    override get statusText(): string {
      return this.#init.statusText;
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
      return rawHeader(raw, name);
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
      return bytes === undefined ? unusable() : Promise.resolve(decodeUtf8(bytes));
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Response.json()'s own signature
    override json(): Promise<any> {
      if (this.#real !== undefined) return this.#real.json();
      const bytes = this.#take();
      if (bytes === undefined) return unusable();
      try {
        return Promise.resolve(JSON.parse(decodeUtf8(bytes)));
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

    /** As Node shows a Response (its own inspector reads state this object does not have). */
    [Symbol.for('nodejs.util.inspect.custom')](
      depth: number,
      options: object,
      inspect: (value: unknown, options: object) => string,
    ): string {
      const shown = {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
        body: this.#real === undefined ? (this.#bytes === null ? null : 'buffered') : this.body,
        bodyUsed: this.bodyUsed,
        ok: this.ok,
        redirected: this.redirected,
        type: this.type,
        url: this.url,
      };
      return `Response ${inspect(shown, { ...options, depth: depth < 0 ? null : depth })}`;
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
  if (!(init.status >= 200 && init.status <= 599) || !Number.isInteger(init.status)) {
    // What `new Response()` refuses.
    throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
  }
  BufferedResponseClass ??= defineBufferedResponse();
  return new BufferedResponseClass(bytes, init);
}
