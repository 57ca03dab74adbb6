import type { DwollaResult } from '../request/api-response.js';
import type { DwollaQuery, DwollaTarget } from '../common/target.js';
import { DwollaError } from '../errors.js';
import type { Client } from '../generated/client/index.js';
import { operationUrl, type GeneratedOperation } from './operation-url.js';
import { readPage } from './read-page.js';

/** Dwolla's largest page: fewest round trips. */
export const DEFAULT_PAGE_LIMIT = 200;

/** Options of `dwolla.paginate` for a path, URL or HAL link. */
export interface DwollaPaginateOptions {
  /** Query of the first page (`limit` defaults to 200); later pages follow `_links.next` as given. */
  query?: DwollaQuery;
  /** Ends the iteration (and the page being fetched) when aborted. */
  signal?: AbortSignal;
}

/** The item type of a list page: the element type of the array under `_embedded`. */
export type EmbeddedItem<Page> = Page extends { _embedded?: infer Embedded }
  ? NonNullable<Embedded> extends infer E
    ? {
        [K in keyof E]-?: NonNullable<E[K]> extends readonly (infer Item)[] ? Item : never;
      }[keyof E]
    : unknown
  : unknown;

/** The page type a generated operation resolves to (its 2xx `data`). */
export type OperationPage<Op> = Op extends (...args: never[]) => Promise<infer Result>
  ? Result extends { data: infer Data; error: undefined }
    ? Data
    : Result extends { data?: infer Data }
      ? NonNullable<Data>
      : unknown
  : unknown;

/** A generated operation's options, less `client` (paginate supplies it), plus `signal`. */
export type OperationOptions<Op> = Op extends (options: infer Options) => unknown
  ? Omit<Options, 'client'> & { signal?: AbortSignal }
  : never;

type OptionsArgument<Op> =
  object extends OperationOptions<Op>
    ? [options?: OperationOptions<Op>]
    : [options: OperationOptions<Op>];

/** `dwolla.paginate`: every item of a list, a page at a time over `_links.next`. */
export interface DwollaPaginate {
  /** Items of a list at a path, URL or HAL link: `for await (const c of dwolla.paginate('/customers'))`. */
  <T = unknown>(
    target: DwollaTarget,
    options?: DwollaPaginateOptions,
  ): AsyncGenerator<T, void, undefined>;
  /** Items of a generated list operation, typed: `dwolla.paginate(listAndSearchCustomers, { query })`. */
  <Op extends GeneratedOperation>(
    operation: Op,
    ...options: OptionsArgument<Op>
  ): AsyncGenerator<EmbeddedItem<OperationPage<Op>>, void, undefined>;
}

export interface PaginateDependencies {
  /** The client's GET (auth, origin pinning, errors). */
  get(target: DwollaTarget, options: { signal?: AbortSignal }): Promise<DwollaResult<unknown>>;
  /** Resolves a path, URL or HAL link against the API base URL. */
  resolve(target: DwollaTarget, query?: DwollaQuery): URL;
  client: Client;
}

function firstPageUrl(
  deps: PaginateDependencies,
  target: DwollaTarget | GeneratedOperation,
  options: Record<string, unknown>,
): URL {
  if (typeof target === 'function') {
    const { signal: _signal, ...rest } = options;
    return operationUrl(target, rest, deps.client, 'dwolla.paginate');
  }
  return deps.resolve(target, options.query as DwollaQuery | undefined);
}

/**
 * Builds `dwolla.paginate`: an async generator over the items of every page, fetched one page
 * at a time as the caller consumes them (a `break` fetches nothing more). It follows
 * `_links.next` through the client's GET, so a next link on another origin is refused like
 * any link; it stops at a page without one, or an empty page, and fails on a next link it has
 * already followed (a server looping back) instead of paging forever.
 */
export function createPaginate(deps: PaginateDependencies): DwollaPaginate {
  return async function* paginate(
    target: DwollaTarget | GeneratedOperation,
    options: Record<string, unknown> = {},
  ) {
    const signal = options.signal as AbortSignal | undefined;
    const first = firstPageUrl(deps, target, options);
    if (!first.searchParams.has('limit')) {
      first.searchParams.set('limit', String(DEFAULT_PAGE_LIMIT));
    }
    const followed = new Set<string>([first.href]);
    let url = first;
    for (let number = 1; ; number++) {
      const { data, response } = await deps.get(url, { signal });
      const where = `dwolla.paginate: page ${number} (GET ${url.pathname})`;
      const page = readPage(data, where, response);
      yield* page.items;
      if (page.next === undefined || page.items.length === 0) return;
      const next = deps.resolve({ href: page.next });
      if (followed.has(next.href)) {
        throw new DwollaError(`${where}: _links.next points back to a page already read`, {
          status: response.status,
          response,
        });
      }
      followed.add(next.href);
      url = next;
    }
  } as DwollaPaginate;
}
