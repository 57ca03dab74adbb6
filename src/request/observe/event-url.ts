const REDACTED = '[REDACTED]';

/**
 * A request's URL as hooks and the debug log see it: origin and path as sent, and each query
 * value replaced by `[REDACTED]`, its name kept. Query values are the caller's data (a customer
 * search by name or e-mail, a correlation id): logs should not collect them, while the names
 * still say which filters and which page were asked. Paths hold resource ids, kept: they are what
 * Dwolla support asks for.
 */
export function eventUrl(url: URL): string {
  const path = `${url.origin}${url.pathname}`;
  if (url.search === '') return path;
  const pairs = url.search
    .slice(1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      // A bare `?value` is all value.
      return equals < 0 ? REDACTED : `${pair.slice(0, equals)}=${REDACTED}`;
    });
  return `${path}?${pairs.join('&')}`;
}
