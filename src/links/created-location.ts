import { classifyDestination } from '../auth/origin-policy.js';

/** A Location is never the token URL: classified against one that cannot match. */
const NO_TOKEN_URL = new URL('about:blank');

/**
 * The `Location` header of an answer (Dwolla's `201 Created` names the new resource there) as an
 * absolute URL, or undefined when there is none. A relative one is resolved against the request
 * URL. It is checked like every link the client follows: one on another origin, with credentials
 * or over plain http to a non-loopback host is not trusted. A 2xx is never turned into an error
 * (the request was processed: failing it would invite the caller to send it again and pay
 * twice), so an untrusted Location is left undefined and told once through `warn`.
 */
export function createdLocation(
  header: string | null | undefined,
  status: number,
  requestUrl: URL,
  apiOrigin: string,
  where: string,
  warn: (message: string) => void,
): string | undefined {
  if (header === null || header === undefined || header === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(header, requestUrl);
  } catch {
    url = undefined;
  }
  if (url && classifyDestination(url, apiOrigin, NO_TOKEN_URL) === 'api') return url.href;
  const shown = url ? `${url.protocol}//${url.host}` : 'an invalid URL';
  warn(
    `dwolla-openapi-client: ${where}: HTTP ${status}, but its Location points to ${shown}, ` +
      `not ${apiOrigin}: location left undefined. The request was processed: check whether the ` +
      'resource exists before sending it again.',
  );
  return undefined;
}

/**
 * `dwolla.locationOf`: the same check for a generated operation's result (`{ response }`) or a
 * Response, resolving a relative Location against the response's URL (else the base URL).
 */
export function locationOfResult(
  result: { response: Response } | Response,
  baseUrl: string,
  apiOrigin: string,
  warn: (message: string) => void,
): string | undefined {
  const response = result instanceof Response ? result : result?.response;
  if (!(response instanceof Response)) {
    throw new TypeError(
      'dwolla.locationOf: pass a generated operation result { response } or a Response',
    );
  }
  const url = new URL(response.url || baseUrl);
  const where = `dwolla.locationOf (${url.pathname})`;
  const header = response.headers.get('Location');
  return createdLocation(header, response.status, url, apiOrigin, where, warn);
}
