/**
 * The transport on an undici dispatcher's `dispatch(options, handler)`: Node's own HTTP engine
 * (the one global `fetch` runs on) without the fetch algorithm and the WHATWG streams that cost
 * `fetch` most of its CPU per call. Used on Node's built-in dispatcher (node-transport.ts) and
 * on undici's `Agent` (undici-transport.ts).
 *
 * The handler uses the dispatcher's original callbacks (`onConnect`, `onHeaders`, `onData`,
 * `onComplete`, `onError`): the ones undici 6 (Node 20 and 22) and undici 7 (Node 24, and the
 * package) both call natively. It keeps the body's chunks (at most `maxResponseBytes`) and
 * decodes `gzip` / `deflate` / `br` bodies with zlib, stopping at the same cap (a small
 * compressed body never expands past it in memory).
 */
import { concatBytes } from './bytes.js';
import { exchange, type Settle } from './exchange.js';
import {
  TransportError,
  type DwollaTransport,
  type DwollaTransportRequest,
  type DwollaTransportResponse,
} from './transport.js';

/** What the transport uses of an undici `Dispatcher` (typed here: the client needs no undici). */
export interface Dispatcher {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean;
}

interface DispatchOptions {
  origin: string;
  path: string;
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array | undefined;
}

/** A raw header name or value: a Buffer from undici's parser (a string, from a mock, fits too). */
type RawHeader = { toString(encoding: 'latin1'): string };

interface DispatchHandler {
  onConnect(abort: (error: Error) => void): void;
  onHeaders(status: number, raw: RawHeader[], resume: () => void, statusText?: string): boolean;
  onData(chunk: Uint8Array): boolean;
  onComplete(trailers: unknown): void;
  onError(error: Error): void;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const EMPTY = new Uint8Array(0);

function tooLarge(limit: number): TransportError {
  return new TransportError('too-large', `the response body is larger than ${limit} bytes`);
}

/** A Buffer read as latin1 (as `fetch` reads header bytes); a string is itself. */
const text = (raw: RawHeader) => raw.toString('latin1');

/** `[name, value, …]` as a record: names in lower case, repeated names joined as `Headers` does. */
function headerRecord(raw: RawHeader[]): Record<string, string> {
  // No prototype: a header named `__proto__` or `constructor` is a header like any other.
  const headers = Object.create(null) as Record<string, string>;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = text(raw[i]!).toLowerCase();
    const value = text(raw[i + 1]!).trim();
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

/** One exchange's handler. A class: a call allocates one object, not a closure per callback. */
class Exchange implements DispatchHandler {
  readonly #request: DwollaTransportRequest;
  readonly #settle: Settle;
  #abort: ((error: Error) => void) | undefined;
  #stopped: TransportError | undefined;
  #status = 0;
  #statusText = '';
  #headers = Object.create(null) as Record<string, string>;
  #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(request: DwollaTransportRequest, settle: Settle) {
    this.#request = request;
    this.#settle = settle;
  }

  /** Ends the exchange (time limit, caller's abort, or a body over the cap); drops the connection. */
  stop(reason: TransportError): void {
    this.#stopped ??= reason;
    this.#abort?.(reason);
  }

  #fail(reason: TransportError): void {
    this.#settle.reject(reason);
    this.stop(reason);
  }

  onConnect(abort: (error: Error) => void): void {
    this.#abort = abort;
    // Ended while waiting for a connection: never sent.
    if (this.#stopped) abort(this.#stopped);
  }

  onHeaders(status: number, raw: RawHeader[], _resume: () => void, statusText?: string): boolean {
    // A 1xx informational answer comes first; only the final one counts.
    this.#status = status;
    this.#statusText = statusText ?? '';
    this.#headers = headerRecord(raw);
    this.#chunks = [];
    this.#size = 0;
    const limit = this.#request.maxResponseBytes;
    if (Number(this.#headers['content-length']) > limit) this.#fail(tooLarge(limit));
    return true;
  }

  onData(chunk: Uint8Array): boolean {
    this.#size += chunk.byteLength;
    const limit = this.#request.maxResponseBytes;
    if (this.#size > limit) this.#fail(tooLarge(limit));
    else this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#stopped) return;
    const headers = this.#headers;
    const answer = (body: Uint8Array): DwollaTransportResponse => ({
      status: this.#status,
      statusText: this.#statusText,
      headers,
      body,
    });
    if (this.#size === 0 || NULL_BODY_STATUS.has(this.#status)) {
      return this.#settle.resolve(answer(EMPTY));
    }
    const raw = concatBytes(this.#chunks, this.#size);
    const encoding = headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === 'identity') {
      return this.#settle.resolve(answer(raw));
    }
    decode(raw, encoding, this.#request.maxResponseBytes).then(
      (body) => this.#settle.resolve(answer(body)),
      (error: unknown) =>
        this.#settle.reject(
          // Over the cap; or a body that cannot be decoded, after the server answered (as fetch).
          error instanceof TransportError
            ? error
            : new TransportError('interrupted', 'the response body could not be decoded', {
                cause: error,
                status: this.#status,
              }),
        ),
    );
  }

  onError(error: Error): void {
    const status = this.#status;
    this.#settle.reject(
      status === 0
        ? error
        : new TransportError('interrupted', 'the connection failed while reading the response', {
            cause: error,
            status,
          }),
    );
  }
}

/** What the transport uses of node:zlib. */
type Inflate = (
  input: Uint8Array,
  options: { maxOutputLength: number },
  callback: (error: (Error & { code?: string }) | null, output: Uint8Array) => void,
) => void;
interface Zlib {
  gunzip: Inflate;
  inflate: Inflate;
  brotliDecompress: Inflate;
}

/**
 * node:zlib, loaded the first time a compressed body arrives (the client runs without it). A
 * dispatcher is only used on Node (>= 20.19, the package's engines), which has getBuiltinModule.
 */
let zlib: Zlib | undefined;
function loadZlib(): Zlib {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: string): unknown };
  };
  return (zlib ??= process.getBuiltinModule('node:zlib') as Zlib);
}

/** Node's largest Buffer, which zlib's maxOutputLength may not exceed. */
const MAX_OUTPUT = 2 ** 31 - 1;

/** The body decoded, or a too-large TransportError as soon as the output passes `limit`. */
function decode(body: Uint8Array, encoding: string, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const z = loadZlib();
    const inflate: Inflate | undefined =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? z.gunzip
        : encoding === 'deflate'
          ? z.inflate
          : encoding === 'br'
            ? z.brotliDecompress
            : undefined;
    if (inflate === undefined) {
      reject(new Error(`unsupported Content-Encoding: ${encoding}`));
      return;
    }
    const maxOutputLength = Math.min(Math.max(1, Math.floor(limit)), MAX_OUTPUT);
    inflate(body, { maxOutputLength }, (error, output) => {
      if (error?.code === 'ERR_BUFFER_TOO_LARGE') reject(tooLarge(limit));
      else if (error) reject(error);
      else if (output.byteLength > limit) reject(tooLarge(limit));
      else resolve(output);
    });
  });
}

/**
 * A transport on the dispatcher `dispatcher()` gives for each request (Node's global one may be
 * replaced between calls, e.g. by undici's MockAgent: the current one is used, as `fetch` does).
 */
export function dispatcherTransport(dispatcher: () => Dispatcher): DwollaTransport {
  return {
    send: (request) =>
      exchange(request, (settle) => {
        const handler = new Exchange(request, settle);
        const { url } = request;
        dispatcher().dispatch(
          {
            origin: url.origin,
            path: url.pathname + url.search,
            method: request.method,
            headers: request.headers,
            body: request.body,
          },
          handler,
        );
        return (reason) => handler.stop(reason);
      }),
  };
}
