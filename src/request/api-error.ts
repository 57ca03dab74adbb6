import { redactJson } from '../common/redact.js';
import {
  DwollaApiError,
  DwollaIdempotencyError,
  DwollaNetworkError,
  type DwollaErrorDetail,
} from '../errors.js';
import { isObject, parseJson } from '../json.js';

export type Redact = (text: string) => string;

function errorDetails(body: unknown, redact: Redact): DwollaErrorDetail[] {
  const embedded = isObject(body) && isObject(body._embedded) ? body._embedded.errors : undefined;
  if (!Array.isArray(embedded)) return [];
  return embedded.filter(isObject).map((item) => {
    const detail: DwollaErrorDetail = {};
    if (typeof item.code === 'string') detail.code = redact(item.code);
    if (typeof item.message === 'string') detail.message = redact(item.message);
    if (typeof item.path === 'string') detail.path = redact(item.path);
    return detail;
  });
}

/** `Code: message`, or for a ValidationError `Code: /path: first embedded message (+2 more)`. */
function summary(body: unknown, details: DwollaErrorDetail[], redact: Redact): string {
  const text = (value: unknown) => (typeof value === 'string' ? redact(value) : undefined);
  const code = isObject(body) ? text(body.code) : undefined;
  const [first] = details;
  const reason = first
    ? [first.path, first.message ?? first.code].filter((p) => p !== undefined).join(': ') +
      (details.length > 1 ? ` (+${details.length - 1} more)` : '')
    : isObject(body)
      ? text(body.message)
      : undefined;
  return [code, reason].filter((part) => part !== undefined && part !== '').join(': ');
}

const IDEMPOTENCY_ADVICE =
  'the Idempotency-Key is locked: a request with this key is still in flight or was different (Dwolla keeps a key 24 h); check whether the resource was created before retrying with a new key';

/** Reads the body of a (buffered) response as text; a body that cannot be read is a network error. */
export async function readText(response: Response, where: string): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    throw new DwollaNetworkError(`${where}: the response body could not be read`, {
      status: response.status,
      cause,
    });
  }
}

/**
 * The DwollaApiError for a non-2xx response: status, Dwolla's code, the first embedded error
 * in the message, `details`, `requestId` (X-Request-Id) and the body, all server text redacted.
 * A 409 on a POST (always keyed) is a DwollaIdempotencyError saying what to do.
 */
export async function apiErrorFromResponse(
  response: Response,
  request: { method: string; url: URL },
  redact: Redact,
): Promise<DwollaApiError> {
  const where = `Dwolla API ${request.method} ${request.url.pathname}`;
  const parsed = parseJson(await readText(response, where));
  const body = parsed.ok ? redactJson(parsed.value, redact) : undefined;
  const details = errorDetails(body, redact);
  const code = isObject(body) && typeof body.code === 'string' ? body.code : undefined;
  const rawRequestId = response.headers.get('X-Request-Id');
  const requestId = rawRequestId === null ? undefined : redact(rawRequestId);
  // Every POST carries an Idempotency-Key (added below this stage when the caller gave none).
  const conflict = response.status === 409 && request.method === 'POST';
  const said = [summary(body, details, redact), conflict ? IDEMPOTENCY_ADVICE : '']
    .filter((part) => part !== '')
    .join('; ');
  const message =
    `${where}: HTTP ${response.status}${said === '' ? '' : ` ${said}`}` +
    (requestId === undefined ? '' : ` (request id ${requestId})`);
  const ErrorClass = conflict ? DwollaIdempotencyError : DwollaApiError;
  return new ErrorClass(message, {
    status: response.status,
    code,
    response,
    body,
    details,
    requestId,
  });
}
