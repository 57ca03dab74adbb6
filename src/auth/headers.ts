import { USER_AGENT } from '../version.js';

export const DWOLLA_ACCEPT = 'application/vnd.dwolla.v1.hal+json';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const TOKEN_REQUEST_BODY = 'grant_type=client_credentials';

/** A `Headers`, or the pipeline's own header map. */
interface SettableHeaders {
  set(name: string, value: string): void;
}

/** Headers every token request carries, whether sent by the token cache or a generated operation. */
export function setTokenHeaders<H extends SettableHeaders>(
  headers: H,
  basicAuthorization: string,
): H {
  headers.set('Authorization', basicAuthorization);
  headers.set('Accept', 'application/json');
  headers.set('User-Agent', USER_AGENT);
  return headers;
}

/** Headers every authenticated API call carries; callers never set these themselves. */
export function setApiHeaders<H extends SettableHeaders>(headers: H, accessToken: string): H {
  headers.set('Authorization', `Bearer ${accessToken}`);
  headers.set('Accept', DWOLLA_ACCEPT);
  headers.set('User-Agent', USER_AGENT);
  return headers;
}
