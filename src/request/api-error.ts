import { redactJson } from '../common/redact.js';
import { DwollaApiError, DwollaIdempotencyError, type DwollaErrorDetail } from '../errors.js';
import { bodyText, isObject, parseJson } from '../json.js';
import { toResponse } from '../transport/response.js';
import type { DwollaAnswer } from './stage.js';

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

/** ANSI escape sequences: CSI (`ESC [ … final`) and OSC (`ESC ] … BEL` or `ESC ] … ESC \`). */
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
/** Runs of spaces, line breaks, control characters (C0, C1) and bidirectional overrides. */
const BREAKS_AND_CONTROLS = /[\s\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;

/**
 * Server text as one printable line for a message: ANSI escape sequences removed, every run of
 * line breaks, controls and spaces made one space, so a server cannot forge log lines or restyle
 * a terminal through `err.message`. Linear: a character class, or a scan that stops at the next
 * escape.
 */
function printable(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(BREAKS_AND_CONTROLS, ' ').trim();
}

/**
 * Dwolla answers a POST whose Idempotency-Key is still in flight with a 409; other 409s (a
 * `DuplicateResource`, …) are about the resource, not the key. Only a code that says so counts.
 */
function isIdempotencyConflict(status: number, method: string, code: string | undefined): boolean {
  return (
    status === 409 &&
    method === 'POST' &&
    code !== undefined &&
    (code === 'Conflict' || /idempoten/i.test(code))
  );
}

/**
 * True for Dwolla's answer that a request with this Idempotency-Key is still being handled. To a
 * retry of the same call it means the earlier attempt (timed out or cut off) is running: waiting
 * and sending again gets its `201` replayed, so the retry stage treats it as worth retrying.
 */
export function isKeyInFlight(answer: DwollaAnswer, method: string): boolean {
  if (answer.status !== 409) return false;
  const parsed = parseJson(bodyText(answer.body));
  const code = parsed.ok && isObject(parsed.value) ? parsed.value.code : undefined;
  return isIdempotencyConflict(answer.status, method, typeof code === 'string' ? code : undefined);
}

const IDEMPOTENCY_ADVICE =
  'the Idempotency-Key is locked: a request with this key is still in flight or was different (Dwolla keeps a key 24 h); check whether the resource was created before retrying with a new key';

/**
 * The DwollaApiError for a non-2xx response: status, Dwolla's code, the first embedded error
 * in the message, `details`, `requestId` (X-Request-Id) and the body, all server text redacted.
 * Server text in the message is one printable line. A 409 on a POST (always keyed) whose code
 * says the key is in use is a DwollaIdempotencyError saying what to do.
 */
export function apiErrorFromAnswer(
  answer: DwollaAnswer,
  request: { method: string; url: URL },
  redact: Redact,
): DwollaApiError {
  const where = `Dwolla API ${request.method} ${request.url.pathname}`;
  const parsed = parseJson(bodyText(answer.body));
  const body = parsed.ok ? redactJson(parsed.value, redact) : undefined;
  const details = errorDetails(body, redact);
  const code = isObject(body) && typeof body.code === 'string' ? body.code : undefined;
  const rawRequestId = answer.headers['x-request-id'];
  const requestId = rawRequestId === undefined ? undefined : redact(rawRequestId);
  // Every POST carries an Idempotency-Key (added below this stage when the caller gave none).
  const conflict = isIdempotencyConflict(answer.status, request.method, code);
  const said = [printable(summary(body, details, redact)), conflict ? IDEMPOTENCY_ADVICE : '']
    .filter((part) => part !== '')
    .join('; ');
  const message =
    `${where}: HTTP ${answer.status}${said === '' ? '' : ` ${said}`}` +
    (requestId === undefined ? '' : ` (request id ${printable(requestId)})`);
  const ErrorClass = conflict ? DwollaIdempotencyError : DwollaApiError;
  return new ErrorClass(message, {
    status: answer.status,
    code,
    response: toResponse(answer, request.url),
    body,
    details,
    requestId,
  });
}
