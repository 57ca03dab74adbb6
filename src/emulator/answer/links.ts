import { isRecord } from '../spec/spec-pointer.js';

/** Dwolla's API hosts, whatever the spec's `servers` say (its examples use both). */
const KNOWN_API_HOSTS = ['api.dwolla.com', 'api-sandbox.dwolla.com'];

/**
 * The hosts whose links are Dwolla API links: those of the spec's `servers` list (absolute URLs
 * only) plus Dwolla's production and sandbox API hosts. Lower case, without port.
 */
export function dwollaApiHosts(servers: unknown): Set<string> {
  const hosts = new Set(KNOWN_API_HOSTS);
  for (const server of Array.isArray(servers) ? servers : []) {
    const url = isRecord(server) && typeof server.url === 'string' ? server.url : '';
    if (URL.canParse(url)) hosts.add(new URL(url).hostname.toLowerCase());
  }
  return hosts;
}

/**
 * The body with every `href` that points at one of `apiHosts` (any scheme and port, with or
 * without a path, e.g. the spec's bare `https://api.dwolla.com`) moved onto `origin`: the
 * scheme, host and port are replaced and the rest (path, query, fragment) is kept as is. Other
 * hrefs (an exchange partner's site, relative ones) and every other member are untouched. Pure:
 * returns a new value, sharing nothing it changed with the input.
 */
export function rewriteHrefs<T>(body: T, origin: string, apiHosts: ReadonlySet<string>): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        key === 'href' && typeof item === 'string' ? onOrigin(item, origin, apiHosts) : walk(item);
    }
    return out;
  };
  return walk(body) as T;
}

/** An absolute http(s) URL: its scheme and authority, then the rest. */
const ABSOLUTE = /^(https?:\/\/)([^/?#]*)(.*)$/is;

function onOrigin(href: string, origin: string, apiHosts: ReadonlySet<string>): string {
  const match = ABSOLUTE.exec(href);
  if (!match || !URL.canParse(href)) return href;
  if (!apiHosts.has(new URL(href).hostname.toLowerCase())) return href;
  return origin.replace(/\/+$/, '') + match[3];
}
