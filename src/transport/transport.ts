/**
 * The one transport contract: an HTTP exchange on plain values. Every request the client sends
 * (token and API alike) goes through `send`, and every adapter (global `fetch`, Node's built-in
 * dispatcher, undici's) implements it. The pipeline above it never sees a `Request`, a
 * `Response` or a stream: only these values.
 */

/** One request as a transport is given it. */
export interface DwollaTransportRequest {
  /** The method, upper case. */
  method: string;
  /** The absolute URL. */
  url: URL;
  /** Names in lower case, values checked (the pipeline built them). */
  headers: Readonly<Record<string, string>>;
  /** Replayable: the same bytes can be sent again (retries, the 401 replay). */
  body: string | Uint8Array | undefined;
  /** The whole exchange (waiting for a connection, headers, body, decoding) within this. */
  timeoutMs: number;
  /** The caller's signal: aborting it ends the exchange at once. */
  signal: AbortSignal | undefined;
  /** The most bytes a response body may have, as received and after decoding. */
  maxResponseBytes: number;
}

/** One answer as a transport resolves it, whatever its status. */
export interface DwollaTransportResponse {
  /** The HTTP status. */
  status: number;
  /** The status line's text (may be empty). */
  statusText: string;
  /** Names in lower case; a repeated header's values joined with `, ` (as `Headers#get`). */
  headers: Record<string, string>;
  /** The whole body, decoded (`gzip`, `deflate`, `br`); empty when there is none. */
  body: Uint8Array;
}

/**
 * Sends a request once (never following a redirect, never sending it again) and resolves with
 * the whole answer, whatever its status. Rejects with a `TransportError` when the time
 * limit passes, the body is over the cap or the caller's signal aborts, and with the
 * underlying error (a network failure) otherwise.
 */
export interface DwollaTransport {
  /** Sends the request once and resolves with the whole answer. */
  send(request: DwollaTransportRequest): Promise<DwollaTransportResponse>;
  /** Closes the connections this transport opened (for transports that own a pool). */
  close?(): Promise<void>;
}

/**
 * `timeout`: the time limit passed; `too-large`: the body is over `maxResponseBytes`; `aborted`:
 * the caller's signal; `redirected`: a `fetch` followed a redirect it was told not to follow;
 * `interrupted`: the connection failed after the answer's status arrived (`status` says which:
 * the server did process the request).
 */
export type TransportFailure = 'timeout' | 'too-large' | 'aborted' | 'redirected' | 'interrupted';

/** Why an exchange ended without an answer, when the transport knows: the pipeline says it. */
export class TransportError extends Error {
  readonly failure: TransportFailure;
  /** The answer's status, for `interrupted`. */
  readonly status: number | undefined;

  constructor(
    failure: TransportFailure,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'TransportError';
    this.failure = failure;
    this.status = options?.status;
  }
}

/** True for a TransportError of that kind (also across the package's ESM and CommonJS copies). */
export function isTransportFailure(error: unknown, failure: TransportFailure): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'TransportError' &&
    (error as { failure?: unknown }).failure === failure
  );
}
