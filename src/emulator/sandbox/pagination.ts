/** Dwolla's page size when `limit` is not given, and the largest it answers. */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 200;

export type Page<T> = {
  items: T[];
  total: number;
  /** self, first, last, and next/prev where there is such a page: absolute hrefs. */
  links: Record<string, { href: string }>;
};

/**
 * One page of a list as Dwolla answers it: `limit` (default 25, at most 200) items from
 * `offset`, and links to this page, the first and last, and the next and previous when they
 * exist. Links keep the request's other query parameters.
 */
export function paginate<T>(items: T[], url: URL, origin: string): Page<T> {
  const limit = clamp(url.searchParams.get('limit'), DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = clamp(url.searchParams.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
  const total = items.length;
  const href = (at: number) => {
    const query = new URLSearchParams(url.searchParams);
    query.set('limit', String(limit));
    query.set('offset', String(at));
    return { href: `${origin}${url.pathname}?${query}` };
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: Record<string, { href: string }> = {
    self: href(offset),
    first: href(0),
    last: href(lastOffset),
  };
  if (offset + limit < total) links.next = href(offset + limit);
  if (offset > 0) links.prev = href(Math.max(0, Math.min(offset - limit, lastOffset)));
  return { items: items.slice(offset, offset + limit), total, links };
}

function clamp(text: string | null, fallback: number, min: number, max: number): number {
  const n = text === null ? NaN : Number(text);
  return Number.isInteger(n) ? Math.min(Math.max(n, min), max) : fallback;
}
