import { DwollaRequestRefusedError } from '../errors.js';
import { hasDotSegment } from './dot-segments.js';

/** A path on the API ('/customers'), an absolute URL, or a HAL link object ({ href }). */
export type DwollaTarget =
  | string
  | URL
  | {
      /** The link's absolute URL (or a path on the API). */
      readonly href: string;
    };

/** One query value: `null` and `undefined` leave the parameter out. */
export type QueryValue = string | number | boolean | null | undefined;
/** A query: each value, or an array of them (the parameter repeated). */
export type DwollaQuery = Record<string, QueryValue | readonly QueryValue[]>;

function targetHref(target: DwollaTarget): string {
  if (typeof target === 'string') return target;
  if (typeof target === 'object' && target !== null && typeof target.href === 'string') {
    return target.href;
  }
  throw new DwollaRequestRefusedError(
    'Refused a target that is not a path, an absolute URL or a HAL link { href }',
  );
}

/**
 * Resolves a target against the API base URL ('/path' is appended to it). A path with a `.` or
 * `..` segment (also as `%2e`) is refused: URL parsing would resolve it to another path, so a
 * value spliced into a path (`/customers/${id}/funding-sources` with id `..`) could not move the
 * call to another resource. The result is not trusted here: the auth layer checks its origin
 * before anything is sent.
 */
export function resolveTarget(target: DwollaTarget, baseUrl: string, query?: DwollaQuery): URL {
  const href = targetHref(target);
  if (hasDotSegment(href)) {
    throw new DwollaRequestRefusedError(
      'Refused a target whose path has a "." or ".." segment (also as %2e): URL parsing would send it to another path',
    );
  }
  const isPath = href.startsWith('/') && !href.startsWith('//');
  let url: URL;
  try {
    url = new URL(isPath ? baseUrl + href : href);
  } catch {
    throw new DwollaRequestRefusedError(
      'Refused a target that is neither a path starting with "/" nor an absolute URL',
    );
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    const values: readonly QueryValue[] = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item !== undefined && item !== null) url.searchParams.append(name, String(item));
    }
  }
  return url;
}
