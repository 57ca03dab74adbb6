/**
 * Every error this package throws is an `instanceof DwollaError`.
 *
 * - `status`: the HTTP status of the response that caused it, or undefined.
 * - `code`: Dwolla's error code (API) or the OAuth `error` code (token endpoint), or undefined.
 * - `response` (a getter over a private field, so it never shows in util.inspect, even with
 *   showHidden, nor in JSON.stringify): the Response, when there was one.
 *
 * Messages are built by this package from status lines and error codes; text that comes
 * from a server is passed through `redactSecrets` (src/common/redact.ts) first. No secret or token is ever
 * part of a message, a property or a cause.
 */
export interface DwollaErrorOptions {
  /** The HTTP status of the response that caused the error. */
  status?: number | undefined;
  /** Dwolla's error code, or the token endpoint's OAuth `error`. */
  code?: string | undefined;
  /** The response that caused the error (never serialised). */
  response?: Response | undefined;
  /** The underlying error, e.g. the transport's. */
  cause?: unknown;
}

/** The base class of every error the package throws: `err instanceof DwollaError`. */
export class DwollaError extends Error {
  /** The HTTP status of the response that caused it, or undefined. */
  readonly status: number | undefined;
  /** Dwolla's error code (API) or the OAuth `error` code (token endpoint), or undefined. */
  readonly code: string | undefined;
  readonly #response: Response | undefined;

  constructor(message: string, options: DwollaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.#response = options.response;
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }

  /** The Response that caused this error, when there was one (its body already read). */
  get response(): Response | undefined {
    return this.#response;
  }
}

/** The token endpoint failed: non-2xx, malformed response, network error or timeout. */
export class DwollaTokenError extends DwollaError {}

/** One entry of Dwolla's `_embedded.errors`. */
export interface DwollaErrorDetail {
  /** The error's code, e.g. `Required` or `InvalidFormat`. */
  code?: string;
  /** What is wrong, in Dwolla's words. */
  message?: string;
  /** The JSON pointer of the field, e.g. `/email`. */
  path?: string;
}

/** What a {@link DwollaApiError} is made from. */
export interface DwollaApiErrorOptions extends DwollaErrorOptions {
  /** Dwolla's `_embedded.errors`. */
  details?: DwollaErrorDetail[];
  /** The parsed error body, secrets redacted. */
  body?: unknown;
  /** The response's `X-Request-Id`. */
  requestId?: string | undefined;
}

/** The API answered with a non-2xx status. */
export class DwollaApiError extends DwollaError {
  /** Dwolla's `_embedded.errors`, when present (empty array otherwise). */
  readonly details: DwollaErrorDetail[];
  /** Dwolla's `X-Request-Id` for this response: quote it to Dwolla support. */
  readonly requestId: string | undefined;
  readonly #body: unknown;

  constructor(message: string, options: DwollaApiErrorOptions = {}) {
    super(message, options);
    this.details = options.details ?? [];
    this.requestId = options.requestId;
    this.#body = options.body;
  }

  /** The parsed JSON error body with secrets redacted, or undefined when it was not JSON. */
  get body(): unknown {
    return this.#body;
  }
}

/**
 * HTTP 409 on a POST whose code says so (`Conflict`, or a code naming idempotency): another
 * request with the same `Idempotency-Key` is in flight (or was different). Retried only when the
 * call's own earlier attempt holds the key (within `maxRetries`); then check whether the resource
 * exists before using a new key.
 */
export class DwollaIdempotencyError extends DwollaApiError {}

/** The request was refused before anything was sent (foreign origin, insecure scheme, bad target). */
export class DwollaRequestRefusedError extends DwollaError {}

/** An attempt got no complete response within `attemptTimeoutMs`, or the call none within `callTimeoutMs`. */
export class DwollaTimeoutError extends DwollaError {}

/** The connection failed (refused, reset, closed mid-response); `cause` holds the transport's error. */
export class DwollaNetworkError extends DwollaError {}

/** The response body was larger than `maxResponseBytes` (after decompression). */
export class DwollaResponseTooLargeError extends DwollaError {}

/** The caller's `signal` aborted the call; `cause` is the signal's reason. */
export class DwollaAbortError extends DwollaError {}

/** The error a caller sees when its own signal ends its wait. */
export function callerAbortError(signal: AbortSignal): DwollaAbortError {
  return new DwollaAbortError('The request was aborted by the caller', { cause: signal.reason });
}
