/**
 * Where a request may go, decided on parsed URLs (`new URL().origin`), never string prefixes.
 */

/** localhost, 127.0.0.0/8 and ::1: the only hosts allowed over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** https anywhere, http only on loopback hosts. */
export function isAllowedScheme(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

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
