import { apiHeaders, tokenHeaders } from '../auth/headers.js';
import { classifyDestination } from '../auth/origin-policy.js';
import type { TokenCache } from '../auth/token-cache.js';
import { isTokenError, type TokenTrust } from '../auth/token-trust.js';
import { DwollaRequestRefusedError } from '../errors.js';
import { bodyText } from '../json.js';
import { withHeaders } from './headers.js';
import type { Stage } from './stage.js';

export interface AuthenticateOptions {
  /** `new URL(baseUrl).origin`: the only origin that receives the bearer token. */
  apiOrigin: string;
  /** The only URL that receives the Basic credentials. */
  tokenUrl: URL;
  /** `Basic …` value from basicAuthorization(). */
  basicAuthorization: string;
  tokens: TokenCache;
  trust: TokenTrust;
}

/**
 * The auth stage, run once per attempt:
 * - token URL: adds the Basic credentials (so the generated createApplicationAccessToken works);
 * - API origin: adds Accept, User-Agent and the bearer token; on a 401 that is a token error
 *   (see auth/token-trust.ts) invalidates that token (if still current), gets a fresh one and
 *   replays the request exactly once (the replay is not a retry);
 * - anything else: rejects with DwollaRequestRefusedError before sending.
 */
export function createAuthenticateStage(options: AuthenticateOptions): Stage {
  const { apiOrigin, tokenUrl, basicAuthorization, tokens, trust } = options;
  const basic = tokenHeaders(basicAuthorization);

  return async (request, next) => {
    const destination = classifyDestination(request.url, apiOrigin, tokenUrl);
    if (destination === 'refused') {
      throw new DwollaRequestRefusedError(
        `Refused to send a request to ${request.url.protocol}//${request.url.host}: only ${apiOrigin} (and the token URL) may receive credentials`,
      );
    }
    if (destination === 'token') {
      return next({ ...request, headers: withHeaders(request.headers, basic) });
    }

    const token = await tokens.get(request.signal);
    const first = await next({
      ...request,
      headers: withHeaders(request.headers, apiHeaders(token)),
    });
    if (first.status !== 401) {
      trust.accepted(token);
      return first;
    }
    if (!isTokenError(bodyText(first.body)) || !trust.mayRefresh(token)) return first;

    tokens.invalidate(token);
    const fresh = await tokens.get(request.signal);
    trust.replaced(fresh, token);
    const replay = await next({
      ...request,
      headers: withHeaders(request.headers, apiHeaders(fresh)),
      replay: true,
    });
    if (replay.status !== 401) trust.accepted(fresh);
    return replay;
  };
}
