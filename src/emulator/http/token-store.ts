import { randomBytes } from 'node:crypto';

export type TokenStatus = 'live' | 'expired' | 'unknown';

export type TokenStore = {
  /** Issues a new random opaque token that lives for the current lifetime. */
  issue(): { accessToken: string; expiresIn: number };
  check(accessToken: string): TokenStatus;
  revokeAll(): void;
  /** Lifetime in whole seconds of the tokens issued from now on (0: they expire at once). */
  setLifetime(seconds: number): void;
};

/** Expired tokens are remembered this long, so they are reported as expired, not unknown. */
const REMEMBER_EXPIRED_MS = 24 * 3600 * 1000;

/** Tokens kept at most when not told otherwise. */
const DEFAULT_MAX_TOKENS = 10_000;

/**
 * Issued tokens and their expiry, oldest first. Bounded: at most `maxTokens` are kept (past it
 * the oldest issued is forgotten: it then answers 'unknown', as a revoked one), and tokens
 * expired for a day are forgotten as new ones are issued.
 */
export function createTokenStore(
  options: { lifetime?: number; now?: () => number; maxTokens?: number } = {},
): TokenStore {
  const now = options.now ?? Date.now;
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const expiries = new Map<string, number>();
  let lifetime = checkedLifetime(options.lifetime ?? 3600);

  return {
    issue() {
      const at = now();
      // Oldest first: stop at the first that is still remembered (a later one issued with a
      // shorter lifetime waits for the cap), so that issuing stays cheap however many there are.
      for (const [token, expiry] of expiries) {
        if (expiry + REMEMBER_EXPIRED_MS >= at) break;
        expiries.delete(token);
      }
      const accessToken = randomBytes(36).toString('base64url');
      expiries.set(accessToken, at + lifetime * 1000);
      for (const oldest of expiries.keys()) {
        if (expiries.size <= maxTokens) break;
        expiries.delete(oldest);
      }
      return { accessToken, expiresIn: lifetime };
    },
    check(accessToken) {
      const expiry = expiries.get(accessToken);
      if (expiry === undefined) return 'unknown';
      return now() < expiry ? 'live' : 'expired';
    },
    revokeAll() {
      expiries.clear();
    },
    setLifetime(seconds) {
      lifetime = checkedLifetime(seconds);
    },
  };
}

function checkedLifetime(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`A token lifetime is a whole number of seconds >= 0, not ${seconds}`);
  }
  return seconds;
}
