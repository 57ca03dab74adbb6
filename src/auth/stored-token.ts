import { isObject, parseJson } from '../json.js';
import type { FetchedToken } from './token-cache.js';
import { isSendableToken } from './token-response.js';

/** Every key the client uses in a token store starts with this (for Redis ACLs: `~prefix*`). */
export const STORE_KEY_PREFIX = 'dwolla-openapi-client:';

export interface StoreKeys {
  /** Holds the shared token (see encodeStoredToken). */
  token: string;
  /** The single-flight lock for fetching it. */
  lock: string;
}

/**
 * The keys of one application's token: HMAC-SHA256, keyed by the secret, of the application key
 * and the token URL. Every process with the same key, secret and token URL shares the token; a
 * process with the right key but another secret looks under another key (it never gets the
 * owner's token without asking Dwolla); and neither the secret nor the key appears in the store.
 */
export async function storeKeys(key: string, secret: string, tokenUrl: string): Promise<StoreKeys> {
  const encoder = new TextEncoder();
  const hmacKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const data = encoder.encode(JSON.stringify([key, tokenUrl]));
  const digest = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, data));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return { token: `${STORE_KEY_PREFIX}token:${hex}`, lock: `${STORE_KEY_PREFIX}lock:${hex}` };
}

/** What the store holds: the token and when (epoch ms) every process should refresh it. */
interface StoredToken {
  accessToken: string;
  refreshAt: number;
  expiresAt: number;
}

export function encodeStoredToken(token: StoredToken): string {
  return JSON.stringify(token);
}

/**
 * The token in a stored value, with the time left before its refresh (from `now`, epoch ms);
 * 'due' when that time has passed (by this process's clock), undefined for a value that is not
 * one of ours or whose token cannot be sent as a header.
 */
export function parseStoredToken(value: string, now: number): FetchedToken | 'due' | undefined {
  const parsed = parseJson(value);
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const { accessToken, refreshAt, expiresAt } = parsed.value;
  // A token that cannot be sent as a header (CR/LF, NUL, non-Latin-1) would fail every call.
  if (!isSendableToken(accessToken)) return undefined;
  if (!Number.isFinite(refreshAt) || !Number.isFinite(expiresAt)) return undefined;
  if ((expiresAt as number) < (refreshAt as number)) return undefined;
  const refreshInMs = (refreshAt as number) - now;
  if (refreshInMs <= 0) return 'due';
  return { accessToken, expiresIn: ((expiresAt as number) - now) / 1000, refreshInMs };
}
