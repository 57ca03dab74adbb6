import { isAllowedScheme } from '../common/url-scheme.js';

/**
 * Where a request may go, decided on parsed URLs (`new URL().origin`), never string prefixes.
 */

export type Destination = 'token' | 'api' | 'refused';

/**
 * `token` for the token URL (exact match: origin + path + query), `api` for the API origin,
 * `refused` for anything else, for URLs carrying credentials, and for insecure schemes.
 */
export function classifyDestination(url: URL, apiOrigin: string, tokenUrl: URL): Destination {
  if (url.username !== '' || url.password !== '' || !isAllowedScheme(url)) return 'refused';
  if (
    url.origin === tokenUrl.origin &&
    url.pathname === tokenUrl.pathname &&
    url.search === tokenUrl.search
  ) {
    return 'token';
  }
  return url.origin === apiOrigin ? 'api' : 'refused';
}
