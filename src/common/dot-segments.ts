/**
 * `.` and `..` path segments, also percent-encoded (`%2e`, any case) and with tabs or line
 * breaks inside (URL parsing drops those first): URL parsing resolves such a segment, moving the
 * request to another path (`/customers/../funding-sources` is sent as `/funding-sources`). No
 * Dwolla path has one, so a value that makes one is refused before anything is sent.
 */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const DROPPED_BY_URL_PARSING = /[\t\n\r]/g;

/** Whether `segment` (one path segment, as written) is a dot segment. */
export function isDotSegment(segment: string): boolean {
  return DOT_SEGMENT.test(segment.replace(DROPPED_BY_URL_PARSING, ''));
}

/**
 * Whether the path of `href` (a path or an absolute URL, as written, before parsing) has a dot
 * segment. `\` separates segments too, as URL parsing reads it in http(s) URLs; the query and
 * fragment are not part of the path.
 */
export function hasDotSegment(href: string): boolean {
  const cleaned = href.replace(DROPPED_BY_URL_PARSING, '');
  const end = cleaned.search(/[?#]/);
  return (end < 0 ? cleaned : cleaned.slice(0, end)).split(/[/\\]/).some(isDotSegment);
}
