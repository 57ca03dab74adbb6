import { isObject, parseJson } from '../json.js';
import type { FetchedToken } from './token-cache.js';

/** Every key the client uses in a token store starts with this (for Redis ACLs: `~prefix*`). */
export const STORE_KEY_PREFIX = 'dwolla-openapi-client:';

export interface StoreKeys {
  /** Holds the shared token (see encodeStoredToken). */
  token: string;
  /** The single-flight lock for fetching it. */
  lock: string;
}

/**
 * The keys of one application's token: SHA-256 of the application key and the token URL, so
 * every process with the same key and token URL shares it, and neither the secret nor the key
 * itself appears in the store.
 */
export async function storeKeys(key: string, tokenUrl: string): Promise<StoreKeys> {
  const data = new TextEncoder().encode(JSON.stringify([key, tokenUrl]));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
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
 * one of ours.
 */
export function parseStoredToken(value: string, now: number): FetchedToken | 'due' | undefined {
  const parsed = parseJson(value);
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const { accessToken, refreshAt, expiresAt } = parsed.value;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  if (!Number.isFinite(refreshAt) || !Number.isFinite(expiresAt)) return undefined;
  if ((expiresAt as number) < (refreshAt as number)) return undefined;
  const refreshInMs = (refreshAt as number) - now;
  if (refreshInMs <= 0) return 'due';
  return { accessToken, expiresIn: ((expiresAt as number) - now) / 1000, refreshInMs };
}
