import { USER_AGENT } from '../version.js';

export const DWOLLA_ACCEPT = 'application/vnd.dwolla.v1.hal+json';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const TOKEN_REQUEST_BODY = 'grant_type=client_credentials';

/** Headers every token request carries (names in lower case), sent by the token cache or a generated operation. */
export function tokenHeaders(basicAuthorization: string): Record<string, string> {
  return {
    authorization: basicAuthorization,
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
}

/** Headers every authenticated API call carries (names in lower case); callers never set these themselves. */
export function apiHeaders(accessToken: string): Record<string, string> {
  return {
    authorization: `Bearer ${accessToken}`,
    accept: DWOLLA_ACCEPT,
    'user-agent': USER_AGENT,
  };
}
