import { parseJson } from '../json.js';

/**
 * Decides whether a 401 is worth a token refresh. Only token errors are (Dwolla's
 * `InvalidAccessToken`, `ExpiredAccessToken`, or a 401 without a code): `InvalidScopes`,
 * `InvalidAccountStatus`, … are not fixed by a new token. And a token fetched moments ago to
 * replace a rejected one, that the API has not accepted since, is not replaced again: against an
 * API that rejects every token, calls cost at most one token request per FRESH_TOKEN_MS (plus
 * the first), not one each.
 */
export const TOKEN_ERROR_CODES: ReadonlySet<string> = new Set([
  'InvalidAccessToken',
  'ExpiredAccessToken',
]);

export const FRESH_TOKEN_MS = 60_000;

export interface TokenTrust {
  /**
   * `token` was fetched (or found) to replace `rejected`, a token the API answered 401 to. When
   * the token endpoint re-issued the very token the API rejected, it starts unaccepted again.
   */
  replaced(token: string, rejected: string): void;
  /** The API answered something other than 401 to this token. */
  accepted(token: string): void;
  /** Whether a 401 for `token` may invalidate it and fetch a new one. */
  mayRefresh(token: string): boolean;
}

export function createTokenTrust(now: () => number): TokenTrust {
  let latest: { token: string; at: number; accepted: boolean } | undefined;
  return {
    replaced(token, rejected) {
      if (latest?.token !== token || token === rejected) {
        latest = { token, at: now(), accepted: false };
      }
    },
    accepted(token) {
      if (latest?.token === token) latest.accepted = true;
    },
    mayRefresh(token) {
      return !(latest?.token === token && !latest.accepted && now() - latest.at < FRESH_TOKEN_MS);
    },
  };
}

/** The `code` of a 401 body (JSON text), or undefined when it has none (or is not JSON). */
export function unauthorizedCode(body: string): string | undefined {
  const parsed = parseJson(body);
  const code = parsed.ok ? (parsed.value as { code?: unknown } | null)?.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A 401 (its body as text) a fresh token can fix: a token error code, or no code at all. */
export function isTokenError(body: string): boolean {
  const code = unauthorizedCode(body);
  return code === undefined || TOKEN_ERROR_CODES.has(code);
}
