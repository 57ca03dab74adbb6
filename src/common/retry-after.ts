/**
 * The wait a 429 or 503 asks for with `Retry-After` (delta-seconds or an HTTP date), in ms, from
 * response headers with lower-case names; undefined when there is none or it does not parse
 * (RFC 9110 §10.2.3).
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string>> | undefined,
  now = Date.now(),
): number | undefined {
  const value = headers?.['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
