import { DwollaRequestRefusedError } from '../errors.js';
import { classifyDestination } from '../auth/origin-policy.js';
import { responseHeader } from '../request/buffered-response.js';

/** A Location is never the token URL: classified against one that cannot match. */
const NO_TOKEN_URL = new URL('about:blank');

/**
 * The `Location` of a response (Dwolla's `201 Created` names the new resource there) as an
 * absolute URL, or undefined when there is none. A relative one is resolved against the request
 * URL. It is checked like every link the client follows: one on another origin, with credentials
 * or over plain http to a non-loopback host is refused (DwollaRequestRefusedError carrying the
 * status and response; the request itself was processed, so the message says to check before
 * sending it again).
 */
export function createdLocation(
  response: Response,
  requestUrl: URL,
  apiOrigin: string,
  where: string,
): string | undefined {
  const header = responseHeader(response, 'Location');
  if (header === null || header === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(header, requestUrl);
  } catch {
    url = undefined;
  }
  if (url && classifyDestination(url, apiOrigin, NO_TOKEN_URL) === 'api') return url.href;
  const shown = url ? `${url.protocol}//${url.host}` : 'an invalid URL';
  throw new DwollaRequestRefusedError(
    `${where}: HTTP ${response.status}, but its Location points to ${shown}, not ${apiOrigin}: refused it. ` +
      'The request was processed: check whether the resource exists before sending it again.',
    { status: response.status, response },
  );
}

/**
 * `dwolla.locationOf`: the same check for a generated operation's result (`{ response }`) or a
 * Response, resolving a relative Location against the response's URL (else the base URL).
 */
export function locationOfResult(
  result: { response: Response } | Response,
  baseUrl: string,
  apiOrigin: string,
): string | undefined {
  const response = result instanceof Response ? result : result?.response;
  if (!(response instanceof Response)) {
    throw new TypeError(
      'dwolla.locationOf: pass a generated operation result { response } or a Response',
    );
  }
  const url = new URL(response.url || baseUrl);
  return createdLocation(response, url, apiOrigin, `dwolla.locationOf (${url.pathname})`);
}
