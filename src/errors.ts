/**
 * Every error this package throws is an `instanceof DwollaError`.
 *
 * - `status`: the HTTP status of the response that caused it, or undefined.
 * - `code`: Dwolla's error code (API) or the OAuth `error` code (token endpoint), or undefined.
 * - `response` (non-enumerable, so it never shows in util.inspect or JSON.stringify):
 *   the Response, when there was one.
 *
 * Messages are built by this package from status lines and error codes; text that comes
 * from a server is passed through `redactSecrets` (src/auth/redact.ts) first. No secret or token is ever
 * part of a message, a property or a cause.
 */
export interface DwollaErrorOptions {
  status?: number | undefined;
  code?: string | undefined;
  response?: Response | undefined;
  cause?: unknown;
}

export class DwollaError extends Error {
  readonly status: number | undefined;
  readonly code: string | undefined;
  declare readonly response: Response | undefined;

  constructor(message: string, options: DwollaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    Object.defineProperty(this, 'response', {
      value: options.response,
      enumerable: false,
      configurable: true,
      writable: false,
    });
  }
}

/** The token endpoint failed: non-2xx, malformed response, network error or timeout. */
export class DwollaTokenError extends DwollaError {}

/** One entry of Dwolla's `_embedded.errors`. */
export interface DwollaErrorDetail {
  code?: string;
  message?: string;
  path?: string;
}

export interface DwollaApiErrorOptions extends DwollaErrorOptions {
  details?: DwollaErrorDetail[];
  body?: unknown;
}

/** The API answered with a non-2xx status (or a 2xx whose body is not JSON). */
export class DwollaApiError extends DwollaError {
  /** Dwolla's `_embedded.errors`, when present (empty array otherwise). */
  readonly details: DwollaErrorDetail[];
  /** The parsed error body (JSON), or undefined when the body was not JSON. Non-enumerable. */
  declare readonly body: unknown;

  constructor(message: string, options: DwollaApiErrorOptions = {}) {
    super(message, options);
    this.details = options.details ?? [];
    Object.defineProperty(this, 'body', {
      value: options.body,
      enumerable: false,
      configurable: true,
      writable: false,
    });
  }
}

/** The request was refused before anything was sent (foreign origin, insecure scheme, bad target). */
export class DwollaRequestRefusedError extends DwollaError {}
