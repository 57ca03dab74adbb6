import { DEFAULT_STORE_TIMEOUT_MS, UNAVAILABLE, guardStore } from './store-guard.js';
import { encodeStoredToken, parseStoredToken, storeKeys, type StoreKeys } from './stored-token.js';
import { refreshDelayMs, type FetchedToken } from './token-cache.js';
import type { TokenSet } from './token-response.js';
import type { TokenStore } from './token-store.js';

export interface SharedTokenOptions {
  store: TokenStore;
  /** Application key, secret and token URL: every client with all three equal shares the token. */
  key: string;
  /** Keys the store's key (HMAC): it never leaves the process. */
  secret: string;
  tokenUrl: string;
  /** Bounds the token request, and separately the wait for another process's request. */
  timeoutMs: number;
  /** Requests a token from Dwolla (the client's requestToken, retries included). */
  requestToken: () => Promise<TokenSet>;
  /** Told once when the store stops answering and once when it answers again. */
  onWarning: (message: string) => void;
}

export interface SharedTokens {
  /** For the token cache: the shared token, or a new one requested once for every process. */
  fetchToken(): Promise<FetchedToken>;
  /** For the token cache: drops `token` from the store if it still holds that token. */
  invalidate(token: string): void;
}

/** How long the first waiter sleeps between looks at the store; doubles up to the maximum. */
export const FIRST_POLL_MS = 10;
export const MAX_POLL_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const REMEMBERED = 4;

/**
 * The token of one application shared through a TokenStore: every process with the same key,
 * secret and token URL reads the same stored token; when there is none, one process (the lock
 * holder) requests it and the others wait for it, at most `timeoutMs`, then read it. A 401 drops the
 * stored token only if it is still the one that failed. When the store fails or does not
 * answer within its `timeoutMs` (default 250 ms), the process goes on with its own token, and uses the store
 * again from its next token fetch on.
 */
export function createSharedTokens(options: SharedTokenOptions): SharedTokens {
  const { store, timeoutMs, requestToken } = options;
  const storeTimeoutMs = store.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const guarded = guardStore(options.onWarning, storeTimeoutMs);
  const keys = storeKeys(options.key, options.secret, options.tokenUrl);
  // The lock outlives the holder's token request (timeoutMs) and its store calls.
  const lockTtlMs = timeoutMs + 4 * storeTimeoutMs;
  /** Stored values of recent tokens, to drop exactly that value on a 401. */
  const storedValues = new Map<string, string>();
  /** Tokens that got a 401 here: never taken from the store again. */
  const rejected: string[] = [];

  const remember = (list: string[], token: string) => {
    list.unshift(token);
    list.length = Math.min(list.length, REMEMBERED);
  };
  const rememberStored = (token: string, value: string) => {
    storedValues.set(token, value);
    for (const old of [...storedValues.keys()].slice(0, -REMEMBERED)) storedValues.delete(old);
  };

  /** The usable stored token; UNAVAILABLE; or undefined (none, unusable, or rejected here). */
  async function readStored({ token }: StoreKeys) {
    const value = await guarded(() => store.get(token));
    if (value === UNAVAILABLE || value === undefined) return value;
    const stored = parseStoredToken(value, Date.now());
    // Due by this clock: left for the lock holder to replace (another clock may disagree).
    if (stored === 'due') return undefined;
    if (stored && !rejected.includes(stored.accessToken)) {
      rememberStored(stored.accessToken, value);
      return stored;
    }
    void guarded(() => store.compareAndDelete(token, value));
    return undefined;
  }

  /** Requests a token and stores it, with its refresh time, until that time. */
  async function requestAndStore({ token }: StoreKeys): Promise<FetchedToken> {
    const startedAt = Date.now();
    const tokenSet = await requestToken();
    const refreshAt = startedAt + refreshDelayMs(tokenSet.expiresIn * 1000);
    const value = encodeStoredToken({
      accessToken: tokenSet.accessToken,
      refreshAt,
      expiresAt: startedAt + tokenSet.expiresIn * 1000,
    });
    const ttlMs = Math.floor(refreshAt - Date.now());
    if (ttlMs > 0 && (await guarded(() => store.set(token, value, ttlMs))) !== UNAVAILABLE) {
      rememberStored(tokenSet.accessToken, value);
    }
    return { ...tokenSet, refreshInMs: refreshAt - startedAt };
  }

  async function holdLockAndFetch(storeKeys: StoreKeys, owner: string): Promise<FetchedToken> {
    try {
      // Another process may have stored a token between our last look and the lock.
      const stored = await readStored(storeKeys);
      if (stored && stored !== UNAVAILABLE) return stored;
      return await requestAndStore(storeKeys);
    } finally {
      void guarded(() => store.compareAndDelete(storeKeys.lock, owner));
    }
  }

  async function fetchToken(): Promise<FetchedToken> {
    const storeKeys = await keys;
    const first = await readStored(storeKeys);
    if (first === UNAVAILABLE) return requestToken();
    if (first) return first;
    const waitUntil = performance.now() + timeoutMs;
    for (let poll = FIRST_POLL_MS; ; poll = Math.min(poll * 2, MAX_POLL_MS)) {
      const owner = crypto.randomUUID();
      const locked = await guarded(() => store.tryLock(storeKeys.lock, owner, lockTtlMs));
      if (locked === UNAVAILABLE) return requestToken();
      if (locked) return holdLockAndFetch(storeKeys, owner);
      await sleep(poll);
      const stored = await readStored(storeKeys);
      if (stored === UNAVAILABLE) return requestToken();
      if (stored) return stored;
      // The holder is slow or gone: stop waiting, request one ourselves and share it.
      if (performance.now() >= waitUntil) return requestAndStore(storeKeys);
    }
  }

  return {
    fetchToken,
    invalidate(token) {
      if (rejected.includes(token)) return;
      remember(rejected, token);
      const value = storedValues.get(token);
      if (value === undefined) return;
      void keys.then((storeKeys) => guarded(() => store.compareAndDelete(storeKeys.token, value)));
    },
  };
}
