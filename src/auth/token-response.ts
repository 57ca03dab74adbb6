import { DwollaTokenError } from '../errors.js';
import { bodyText, isObject, parseJson } from '../json.js';
import { toResponse } from '../transport/response.js';
import type { DwollaTransportResponse } from '../transport/transport.js';

export interface TokenSet {
  accessToken: string;
  /** Lifetime in seconds, > 0 and finite. */
  expiresIn: number;
}

/** RFC 6749 §5.2: error codes are printable ASCII without '"' and '\'. */
const OAUTH_ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,100}$/;
const NUMERIC_STRING = /^[0-9]+(\.[0-9]+)?$/;
/**
 * An access token the client can send as `Authorization: Bearer <token>`: visible ASCII without
 * spaces (RFC 6749's VSCHAR less the space). CR/LF, NUL, other controls and non-Latin-1 text
 * could not be sent as a header (or would split one): such a token is refused, never cached.
 */
const SENDABLE_TOKEN = /^[\x21-\x7E]+$/;

/** Whether `token` can be sent as a bearer token (used at intake and for a stored token). */
export function isSendableToken(token: unknown): token is string {
  return typeof token === 'string' && SENDABLE_TOKEN.test(token);
}

/** The OAuth `error` code, redacted: a server may echo what it received in it. */
function oauthErrorCode(body: unknown, redact: (text: string) => string): string | undefined {
  if (!isObject(body)) return undefined;
  const code = body.error;
  if (typeof code !== 'string' || !OAUTH_ERROR_CODE.test(code)) return undefined;
  const redacted = redact(code);
  return redacted === code ? code : '[REDACTED]';
}

function parseExpiresIn(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMERIC_STRING.test(value)
        ? Number(value)
        : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Checks a token endpoint response (and its body text) field by field. Anything unexpected, including a
 * non-JSON body or a non-2xx status, becomes a DwollaTokenError with the status and the
 * OAuth error code when there is one (redacted). The response body is never copied into the
 * message, and `response` is the answer as a Response (hidden from util.inspect).
 */
export function parseTokenResponse(
  answer: DwollaTransportResponse,
  url: URL,
  redact: (text: string) => string,
): TokenSet {
  const status = answer.status;
  const parsed = parseJson(bodyText(answer.body));
  const body = parsed.ok ? parsed.value : undefined;
  const code = oauthErrorCode(body, redact);
  const fail = (reason: string): never => {
    throw new DwollaTokenError(`Dwolla token endpoint: ${reason} (HTTP ${status})`, {
      status,
      code,
      // A status Response cannot hold (a fetch's opaque redirect is 0) comes without one.
      response: status >= 200 && status <= 599 ? toResponse(answer, url) : undefined,
    });
  };

  if (status < 200 || status > 299)
    return fail(code ? `request failed with ${code}` : 'request failed');
  if (!isObject(body)) return fail('response is not a JSON object');

  const { access_token, token_type, expires_in } = body;
  if (typeof access_token !== 'string' || access_token === '') {
    return fail('access_token is missing or not a non-empty string');
  }
  if (!isSendableToken(access_token)) {
    return fail('access_token has characters a header cannot carry (visible ASCII only)');
  }
  if (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer') {
    return fail('token_type is not bearer');
  }
  const expiresIn = parseExpiresIn(expires_in);
  if (expiresIn === undefined) return fail('expires_in is not a positive finite number');

  return { accessToken: access_token, expiresIn };
}
