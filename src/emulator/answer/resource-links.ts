import { HAL_JSON } from '../http/replies.js';
import { isRecord } from '../spec/spec-pointer.js';

/** What the spec says about link targets (see `linkTargets`). */
export type LinkTargets = {
  /** Collections with a single-resource GET: `customers` for `GET /customers/{id}`. */
  resources: ReadonlySet<string>;
};

/** The request an answer is for. */
export type LinkedRequest = {
  /** The operation's path template, e.g. `/customers/{id}/funding-sources`. */
  template: string;
  /** The request's path, e.g. `/customers/3b5e…/funding-sources`. */
  pathname: string;
  query: URLSearchParams;
  /** Paging, when the operation takes `limit` and `offset`: the limit it uses when none is sent. */
  paging?: { defaultLimit: number };
};

export type HalLink = { href: string; type?: string; 'resource-type'?: string };

/** The link targets of a spec, from its path templates that have a GET. */
export function linkTargets(getPaths: Iterable<string>): LinkTargets {
  const resources = new Set<string>();
  for (const path of getPaths) {
    const match = /^\/([^/{}]+)\/\{[^/}]+\}$/.exec(path);
    if (match) resources.add(match[1]!);
  }
  return { resources };
}

/**
 * Fills in the links of an answer that the request determines, all on `origin`:
 * - `self`: the request's path (with its query, for a page of a list): what a GET reads, what
 *   a POST changes (`/customers/{id}`, `/funding-sources/{id}/micro-deposits`);
 * - the parent, for a path below one resource the spec serves (`/customers/{id}/funding-sources`
 *   → `customer`: `/customers/{id}`), named as the collection in the singular;
 * - for a list (an `_embedded` array): each item's `self` from its `id` when the spec serves
 *   `/<collection>/{id}`, and, when the operation pages, `first`, `last`, `prev`, `next`;
 * Only an existing `_links` object is filled (the schema said there are links); an existing link
 * of the same name keeps its other members and gets the href. Pure: returns a new value.
 */
export function resourceLinks<T>(
  body: T,
  origin: string,
  request: LinkedRequest,
  targets: LinkTargets,
): T {
  if (!isRecord(body) || !isRecord(body._links)) return body;
  const links: Record<string, unknown> = { ...body._links };
  const out: Record<string, unknown> = { ...body, _links: links };
  const set = (rel: string, href: string, resourceType?: string) => {
    links[rel] = withHref(links[rel], href, resourceType);
  };

  const list = embeddedList(body);
  set('self', origin + request.pathname + (list && request.query.size ? `?${request.query}` : ''));
  const parent = parentOf(request, targets);
  if (parent) set(singular(parent.collection), origin + parent.path, singular(parent.collection));

  if (list) {
    const [key, items] = list;
    if (targets.resources.has(key)) {
      out._embedded = {
        ...(body._embedded as object),
        [key]: items.map((item) => withSelf(item, `${origin}/${key}`, singular(key))),
      };
    }
    if (request.paging) {
      const total = typeof body.total === 'number' ? body.total : undefined;
      const page = pageLinks(origin + request.pathname, request.query, total, request.paging);
      for (const [rel, href] of Object.entries(page)) set(rel, href);
    }
  }
  return out as T;
}

/**
 * The paging links of a list at `base` (origin and path) for a request's query: `first`, and,
 * when the total is known, `last`, and `prev`/`next` where there is such a page: `limit` and
 * `offset` first, then the request's other query parameters (a search, a filter). `limit` and `offset` are read from the query (a
 * missing or unreadable limit is `defaultLimit`, offset 0).
 */
export function pageLinks(
  base: string,
  query: URLSearchParams,
  total: number | undefined,
  { defaultLimit }: { defaultLimit: number },
): Record<string, string> {
  const limit = positive(query.get('limit')) || defaultLimit;
  const offset = positive(query.get('offset'));
  const at = (to: number) => {
    const q = new URLSearchParams({ limit: String(limit), offset: String(Math.max(0, to)) });
    for (const [name, value] of query)
      if (name !== 'limit' && name !== 'offset') q.append(name, value);
    return `${base}?${q}`;
  };
  const links: Record<string, string> = { first: at(0) };
  if (total === undefined) return links;
  links.last = at(Math.floor(Math.max(total - 1, 0) / limit) * limit);
  if (offset > 0) links.prev = at(offset - limit);
  if (offset + limit < total) links.next = at(offset + limit);
  return links;
}

const positive = (text: string | null) => {
  const n = Number(text ?? '');
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
};

/** The single array member of `_embedded`, with its name. */
function embeddedList(body: Record<string, unknown>): [string, unknown[]] | undefined {
  if (!isRecord(body._embedded)) return undefined;
  const arrays = Object.entries(body._embedded).filter((entry): entry is [string, unknown[]] =>
    Array.isArray(entry[1]),
  );
  return arrays.length === 1 ? arrays[0] : undefined;
}

function withSelf(item: unknown, base: string, resourceType: string): unknown {
  if (!isRecord(item) || !isRecord(item._links) || typeof item.id !== 'string') return item;
  const self = withHref(item._links.self, `${base}/${encodeURIComponent(item.id)}`, resourceType);
  return { ...item, _links: { ...item._links, self } };
}

/** A link to `href`, with the members of the link it replaces, and Dwolla's where it had none. */
function withHref(old: unknown, href: string, resourceType?: string): HalLink {
  const defaults = { type: HAL_JSON, ...(resourceType && { 'resource-type': resourceType }) };
  const link = { href: '', ...defaults, ...(isRecord(old) ? old : {}) };
  return { ...link, href } as HalLink;
}

/** `/customers/{id}/…` with the spec serving `/customers/{id}`: that resource's path. */
function parentOf(
  request: LinkedRequest,
  targets: LinkTargets,
): { collection: string; path: string } | undefined {
  const template = request.template.split('/');
  const actual = request.pathname.split('/');
  const [, collection, param] = template;
  if (template.length < 4 || !collection || !/^\{[^}]+\}$/.test(param ?? '')) return undefined;
  if (!targets.resources.has(collection) || !actual[2]) return undefined;
  return { collection, path: `/${collection}/${actual[2]}` };
}

/** A HAL link to a resource of a type, as Dwolla writes them. */
export function halLink(href: string, type: string): Required<HalLink> {
  return { href, type: HAL_JSON, 'resource-type': singular(type) };
}

/** `customers` → `customer`, `ledger-entries` → `ledger-entry`; other names as they are. */
export function singular(name: string): string {
  if (name.endsWith('ies')) return name.slice(0, -3) + 'y';
  return name.endsWith('s') && !name.endsWith('ss') ? name.slice(0, -1) : name;
}
