import { createHash, timingSafeEqual } from 'node:crypto';
import { mediaTypeOf } from '../check/request-body.js';
import type { Reply } from './replies.js';
import type { TokenStore } from './token-store.js';

export type Credentials = { key: string; secret: string };

/**
 * POST /token: OAuth 2.0 client credentials (RFC 6749 §4.4). The client authenticates with HTTP
 * Basic, whose user and password are the form-url-encoded key and secret (§2.3.1), and sends
 * grant_type=client_credentials as an application/x-www-form-urlencoded body.
 */
export function tokenReply(
  request: { authorization: string | undefined; contentType: string | undefined; body: Buffer },
  credentials: Credentials,
  store: TokenStore,
): Reply {
  const client = basicCredentials(request.authorization);
  if (!client || !same(client.key, credentials.key) || !same(client.secret, credentials.secret)) {
    return oauthError(401, 'invalid_client', { 'www-authenticate': 'Basic realm="Dwolla"' });
  }
  if (mediaTypeOf(request.contentType) !== 'application/x-www-form-urlencoded') {
    return oauthError(400, 'invalid_request');
  }
  const grantTypes = new URLSearchParams(request.body.toString('utf8')).getAll('grant_type');
  if (grantTypes.length !== 1) return oauthError(400, 'invalid_request');
  if (grantTypes[0] !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');

  const { accessToken, expiresIn } = store.issue();
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      pragma: 'no-cache',
    },
    body: { access_token: accessToken, token_type: 'bearer', expires_in: expiresIn },
  };
}

/** The key and secret of a `Basic` Authorization header, form-url-decoded; undefined if malformed. */
export function basicCredentials(header: string | undefined): Credentials | undefined {
  const match = /^basic +([A-Za-z0-9+/]+=*) *$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      key: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

/** application/x-www-form-urlencoded decoding of one value: '+' is a space, then %XX escapes. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}

function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function oauthError(status: number, error: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: { error },
  };
}
