import { HAL_JSON, type Reply } from './replies.js';

/** What `emu.fault()` makes the next matching requests do: fail, slow down or hang. */
export type Fault = {
  /** Only requests to this path: the request path (`/customers/abc`) or the spec's template
   * (`/customers/{id}`). Any path when omitted. */
  path?: string;
  /** Only requests with this method (any case). Any method when omitted. */
  method?: string;
  /** Answer this status instead of the normal response. Without it (and without `hang`) the
   * request is answered normally, after `latencyMs`. */
  status?: number;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  count?: number;
  /** The body to send: an object is sent as JSON, a string as is. Default: a Dwolla error. */
  body?: unknown;
  /** Extra response headers, e.g. `{ 'Retry-After': '2' }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Never answer: the connection stays open until the client gives up or the emulator closes. */
  hang?: boolean;
};

export type FaultQueue = {
  add(fault: Fault): void;
  /** The first fault matching the request, counted as used; undefined if none applies. */
  take(method: string, pathname: string, template: string | undefined): Fault | undefined;
  clear(): void;
};

export function createFaultQueue(): FaultQueue {
  let pending: { fault: Fault; left: number }[] = [];
  return {
    add(fault) {
      pending.push({ fault: { ...fault }, left: checked(fault) });
    },
    take(method, pathname, template) {
      const entry = pending.find(
        ({ fault }) =>
          (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
          (fault.path === undefined || fault.path === pathname || fault.path === template),
      );
      if (!entry) return undefined;
      if (--entry.left <= 0) pending = pending.filter((e) => e !== entry);
      return entry.fault;
    },
    clear() {
      pending = [];
    },
  };
}

function checked(fault: Fault): number {
  const count = fault.count ?? 1;
  if (!(count === Infinity || (Number.isSafeInteger(count) && count > 0))) {
    throw new RangeError(`fault count must be a positive integer or Infinity, not ${count}`);
  }
  if (
    fault.status !== undefined &&
    !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)
  ) {
    throw new RangeError(`fault status must be an HTTP status (100-599), not ${fault.status}`);
  }
  if (fault.latencyMs !== undefined && !(fault.latencyMs >= 0 && fault.latencyMs < 2 ** 31)) {
    throw new RangeError(
      `fault latencyMs must be a number of milliseconds >= 0, not ${fault.latencyMs}`,
    );
  }
  if (fault.status === undefined && !fault.hang && fault.latencyMs === undefined) {
    throw new TypeError('A fault needs a status, latencyMs or hang');
  }
  return count;
}

/** The reply a fault with a status sends. */
export function faultReply(fault: Fault & { status: number }): Reply {
  const body = fault.body ?? defaultBody(fault.status);
  const contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : HAL_JSON;
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [name, value] of Object.entries(fault.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return { status: fault.status, headers, body: body as string | object };
}

function defaultBody(status: number): { code: string; message: string } {
  const known: Record<number, [string, string]> = {
    400: ['BadRequest', 'The request body contains bad syntax or is incomplete.'],
    401: ['InvalidAccessToken', 'Invalid access token.'],
    403: ['Forbidden', 'The supplied credentials are not authorized for this resource.'],
    404: ['NotFound', 'The requested resource was not found.'],
    429: ['TooManyRequests', 'Too many requests. Please slow down.'],
    500: ['ServerError', 'A server error occurred.'],
    502: ['BadGateway', 'Bad gateway.'],
    503: ['ServiceUnavailable', 'Service unavailable.'],
  };
  const [code, message] = known[status] ?? [`Http${status}`, `Injected HTTP ${status} response.`];
  return { code, message };
}
