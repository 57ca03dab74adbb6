import { abortable, callerAbortError } from './abortable.js';
import type { TokenSet } from './token-response.js';

export interface TokenCacheOptions {
  /** Fetches a fresh token; called at most once at a time. */
  fetchToken: () => Promise<TokenSet>;
  /** Monotonic clock in milliseconds (default: performance.now()). */
  now: () => number;
}

export interface TokenCache {
  /** The current token, reused while fresh, otherwise the one being fetched (single-flight). */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets `token` only if it is still the cached one (a stale 401 never drops a newer token). */
  invalidate(token: string): void;
}

/** Reuse window: refresh `min(60 s, lifetime / 2)` before expiry. */
export const MAX_REFRESH_WINDOW_MS = 60_000;

interface CachedToken {
  token: string;
  refreshAt: number;
}

export function createTokenCache({ fetchToken, now }: TokenCacheOptions): TokenCache {
  let current: CachedToken | undefined;
  let inflight: Promise<string> | undefined;

  const refresh = async (): Promise<string> => {
    const startedAt = now();
    const { accessToken, expiresIn } = await fetchToken();
    const lifetimeMs = expiresIn * 1000;
    const refreshAt = startedAt + lifetimeMs - Math.min(MAX_REFRESH_WINDOW_MS, lifetimeMs / 2);
    current = { token: accessToken, refreshAt };
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
    },
  };
}
