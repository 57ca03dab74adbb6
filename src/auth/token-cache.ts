import { abortable, callerAbortError } from '../common/abort.js';
import type { TokenSet } from './token-response.js';

/** A token and, when it was issued earlier (a shared token), when to refresh it. */
export interface FetchedToken extends TokenSet {
  /** Refresh this long after the fetch started, instead of the window computed from `expiresIn`. */
  refreshInMs?: number;
}

export interface TokenCacheOptions {
  /** Fetches a fresh token; called at most once at a time. */
  fetchToken: () => Promise<FetchedToken>;
  /** Monotonic clock in milliseconds (default: performance.now()). */
  now: () => number;
  /** Told of every invalidate() call (the shared token store drops the token there too). */
  onInvalidate?: (token: string) => void;
  /** Told when a refresh failed and the cached token, still valid, is served instead. */
  onWarning?: (message: string) => void;
}

export interface TokenCache {
  /** The current token, reused while fresh, otherwise the one being fetched (single-flight). */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets `token` only if it is still the cached one (a stale 401 never drops a newer token). */
  invalidate(token: string): void;
}

/** Reuse window: refresh `min(60 s, lifetime / 2)` before expiry. */
export const MAX_REFRESH_WINDOW_MS = 60_000;

/** How long after its request a token of `lifetimeMs` is reused: the lifetime less the window. */
export function refreshDelayMs(lifetimeMs: number): number {
  return lifetimeMs - Math.min(MAX_REFRESH_WINDOW_MS, lifetimeMs / 2);
}

/**
 * After a failed refresh, the cached token (still valid) is served this long, at most half its
 * remaining life, before the next refresh is tried: one failing token request per pause, not one
 * per call.
 */
export const FAILED_REFRESH_PAUSE_MS = 5_000;

interface CachedToken {
  token: string;
  refreshAt: number;
  /** When it expires, counted from when its request started (never later than the truth). */
  expiresAt: number;
}

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { fetchToken, now, onInvalidate, onWarning } = options;
  let current: CachedToken | undefined;
  let inflight: Promise<string> | undefined;

  /** A refresh failed: the cached token while it is valid (and invalidate() has not dropped it). */
  const servedAfter = (error: unknown): string => {
    const cached = current;
    const at = now();
    if (!cached || at >= cached.expiresAt) throw error;
    cached.refreshAt = at + Math.min(FAILED_REFRESH_PAUSE_MS, (cached.expiresAt - at) / 2);
    const reason = error instanceof Error ? error.message : String(error);
    onWarning?.(
      `dwolla-openapi-client: token refresh failed (${reason}); using the cached token, valid ` +
        `${Math.floor((cached.expiresAt - at) / 1000)} s more, and trying again in ` +
        `${Math.ceil((cached.refreshAt - at) / 1000)} s`,
    );
    return cached.token;
  };

  const refresh = async (): Promise<string> => {
    const startedAt = now();
    let fetched: FetchedToken;
    try {
      fetched = await fetchToken();
    } catch (error) {
      return servedAfter(error);
    }
    const { accessToken, expiresIn, refreshInMs } = fetched;
    const refreshAt = startedAt + (refreshInMs ?? refreshDelayMs(expiresIn * 1000));
    current = { token: accessToken, refreshAt, expiresAt: startedAt + expiresIn * 1000 };
    return accessToken;
  };

  return {
    get(signal) {
      if (signal?.aborted) return Promise.reject(callerAbortError(signal));
      if (current && now() < current.refreshAt) return Promise.resolve(current.token);
      // Failures are not cached: the next call after a rejection starts a new request.
      inflight ??= refresh().finally(() => {
        inflight = undefined;
      });
      return abortable(inflight, signal);
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
      onInvalidate?.(token);
    },
  };
}
