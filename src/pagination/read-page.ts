import { DwollaError } from '../errors.js';
import { isObject } from '../json.js';

export interface Page {
  items: unknown[];
  /** `_links.next.href`, when there is a next page. */
  next: string | undefined;
}

/**
 * One page of a Dwolla list: `{ _links: { next?: { href } }, _embedded: { <name>: [items] } }`.
 * Anything else (no `_embedded`, no array or several arrays under it) is a DwollaError naming
 * what was found, never an empty list.
 */
export function readPage(body: unknown, where: string, response: Response): Page {
  const fail = (found: string) =>
    new DwollaError(
      `${where}: the answer is not a Dwolla list (expected _embedded with one array of items; ${found})`,
      { status: response.status, response },
    );
  if (!isObject(body)) throw fail(`got ${body === undefined ? 'no body' : 'a non-object'}`);
  if (!isObject(body._embedded)) throw fail('_embedded is missing');
  const lists = Object.entries(body._embedded).filter(([, value]) => Array.isArray(value));
  if (lists.length !== 1) {
    const names = lists.map(([name]) => name).join(', ');
    throw fail(lists.length === 0 ? 'no array under it' : `several: ${names}`);
  }
  const next =
    isObject(body._links) && isObject(body._links.next) ? body._links.next.href : undefined;
  if (next !== undefined && typeof next !== 'string') {
    throw fail('_links.next.href is not a string');
  }
  return { items: lists[0]![1] as unknown[], next };
}
