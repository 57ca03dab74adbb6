import type { DwollaTransport } from '../transport/transport.js';
import type { DwollaRequestOptions } from './request-options.js';
import { timeLimitProblem } from './time-limit.js';
import { isAllowedScheme } from './url-scheme.js';
import type { TokenStore } from '../auth/token-store.js';
import { shielded } from './user-callback.js';

export const ENVIRONMENTS = {
  sandbox: 'https://api-sandbox.dwolla.com',
  production: 'https://api.dwolla.com',
} as const;

/** Dwolla's environments: `sandbox` (api-sandbox.dwolla.com) or `production` (api.dwolla.com). */
export type DwollaEnvironment = keyof typeof ENVIRONMENTS;

/** Auth and transport options (below) and the request pipeline's (`DwollaRequestOptions`). */
export interface DwollaClientOptions extends DwollaRequestOptions {
  /** Dwolla application key (OAuth client id). */
  key: string;
  /** Dwolla application secret. Kept in a closure: never stored on any object. */
  secret: string;
  /** 'sandbox' → https://api-sandbox.dwolla.com, 'production' → https://api.dwolla.com. Exclusive with baseUrl. */
  environment?: DwollaEnvironment;
  /** Any API origin (https, or http for loopback hosts). Exclusive with environment. */
  baseUrl?: string;
  /** Default `${baseUrl}/token`. Receives the Basic credentials and nothing else does. */
  tokenUrl?: string;
  /**
   * Sends every request (token and API) through this `fetch` instead of the default transport
   * (README: "Transports"). Exclusive with `transport`.
   */
  fetch?: typeof globalThis.fetch;
  /** Sends every request through this transport, e.g. `createUndiciTransport()`. Exclusive with `fetch`. */
  transport?: DwollaTransport;
  /** Bounds the whole token acquisition, its retries included, in ms. Default 10 000. */
  tokenTimeoutMs?: number;
  /**
   * Shares one token across processes (README: "Sharing the token"), e.g. createRedisTokenStore()
   * from `dwolla-openapi-client/redis`. Default: each client keeps its own token.
   */
  tokenStore?: TokenStore;
  /**
   * Told, in one line without secrets, when the client degrades (the token store is down, a token
   * refresh failed and the cached token is served).
   */
  onWarning?: (message: string) => void;
}

export interface ResolvedClientOptions {
  key: string;
  secret: string;
  /** Normalized, without trailing slash. */
  baseUrl: string;
  apiOrigin: string;
  tokenUrl: URL;
  /** The caller's transport, or their fetch (at most one is set; neither: the default transport). */
  fetch: typeof globalThis.fetch | undefined;
  transport: DwollaTransport | undefined;
  tokenTimeoutMs: number;
  tokenStore: TokenStore | undefined;
  onWarning: (message: string) => void;
}

export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

function fail(option: string, requirement: string): never {
  throw new TypeError(`createDwollaClient: options.${option} ${requirement}`);
}

function checkCredential(value: unknown, option: string): string {
  // isWellFormed: no lone surrogates, which could not be form-encoded into the Basic header.
  if (typeof value !== 'string' || value === '' || !value.isWellFormed()) {
    fail(option, 'must be a non-empty, well-formed string');
  }
  return value;
}

function checkUrl(value: unknown, option: string): URL {
  const requirement =
    'must be an absolute https URL (http only for loopback hosts) without credentials or fragment';
  if (typeof value !== 'string') fail(option, requirement);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(option, requirement);
  }
  if (!isAllowedScheme(url) || url.username !== '' || url.password !== '' || url.hash !== '') {
    fail(option, requirement);
  }
  return url;
}

function checkFunction<T>(value: unknown, option: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') fail(option, 'must be a function');
  return value as T;
}

const TOKEN_STORE_METHODS = ['get', 'set', 'tryLock', 'compareAndDelete'] as const;

function checkTokenStore(value: unknown): TokenStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Record<string, unknown> | null;
  if (typeof store !== 'object' || store === null) fail('tokenStore', 'must be an object');
  for (const method of TOKEN_STORE_METHODS) {
    if (typeof store[method] !== 'function') fail('tokenStore', `must have a ${method}() method`);
  }
  const { timeoutMs } = store as { timeoutMs?: unknown };
  const problem = timeoutMs === undefined ? undefined : timeLimitProblem(timeoutMs);
  if (problem !== undefined) fail('tokenStore', `timeoutMs ${problem}`);
  return value as TokenStore;
}

/** The caller's `fetch` or `transport` (at most one), checked; both undefined: the default. */
function checkTransport(
  fetch: unknown,
  transport: unknown,
): Pick<ResolvedClientOptions, 'fetch' | 'transport'> {
  if (fetch !== undefined && transport !== undefined) {
    fail('fetch', 'and options.transport cannot both be given');
  }
  if (fetch !== undefined && typeof fetch !== 'function') fail('fetch', 'must be a function');
  if (
    transport !== undefined &&
    typeof (transport as Partial<DwollaTransport> | null)?.send !== 'function'
  ) {
    fail('transport', 'must be an object with a send() method, e.g. createUndiciTransport()');
  }
  return {
    fetch: fetch as typeof globalThis.fetch | undefined,
    transport: transport as DwollaTransport | undefined,
  };
}

/** Options that no longer exist, and what to do instead (a silently ignored limit would be a trap). */
const GONE: Record<string, string> = {
  timeoutMs: 'was renamed tokenTimeoutMs',
  requestTimeoutMs: 'was renamed attemptTimeoutMs',
  clock: 'is no longer an option (it was a testing hook)',
  sleep: 'is no longer an option (it was a testing hook)',
  random: 'is no longer an option (it was a testing hook)',
};

function chooseBaseUrl(environment: unknown, baseUrl: unknown): URL {
  if ((environment === undefined) === (baseUrl === undefined)) {
    fail('environment', 'or options.baseUrl must be given, but not both');
  }
  if (baseUrl !== undefined) {
    const url = checkUrl(baseUrl, 'baseUrl');
    if (url.search !== '') fail('baseUrl', 'must not have a query string');
    return url;
  }
  if (environment !== 'sandbox' && environment !== 'production') {
    fail('environment', "must be 'sandbox' or 'production'");
  }
  return new URL(ENVIRONMENTS[environment]);
}

/** Checks every option at construction; throws a TypeError naming the offending option. */
export function resolveClientOptions(options: DwollaClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createDwollaClient: options must be an object');
  }
  for (const option of Object.keys(GONE)) {
    if ((options as unknown as Record<string, unknown>)[option] !== undefined) {
      fail(option, GONE[option]!);
    }
  }
  const key = checkCredential(options.key, 'key');
  const secret = checkCredential(options.secret, 'secret');
  const base = chooseBaseUrl(options.environment, options.baseUrl);
  const baseUrl = base.href.replace(/\/+$/, '');
  const tokenUrl =
    options.tokenUrl === undefined
      ? new URL(`${baseUrl}/token`)
      : checkUrl(options.tokenUrl, 'tokenUrl');
  const tokenTimeoutMs = options.tokenTimeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;
  const problem = timeLimitProblem(tokenTimeoutMs);
  if (problem !== undefined) fail('tokenTimeoutMs', problem);
  return {
    key,
    secret,
    baseUrl,
    apiOrigin: base.origin,
    tokenUrl,
    ...checkTransport(options.fetch, options.transport),
    tokenTimeoutMs,
    tokenStore: checkTokenStore(options.tokenStore),
    // Shielded: a warning hook that throws or rejects fails nothing (and is not told of itself).
    onWarning: shielded(
      checkFunction(options.onWarning, 'onWarning', () => {}),
      () => {},
    ),
  };
}
