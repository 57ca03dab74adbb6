/**
 * OAuth client authentication `client_secret_basic` (RFC 6749 §2.3.1):
 * the client id and secret are each encoded with application/x-www-form-urlencoded,
 * joined with ':' and sent as HTTP Basic credentials.
 */

/** application/x-www-form-urlencoded encoding of one value (WHATWG URL serializer: space → '+'). */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** `Basic base64(formUrlEncode(key) + ':' + formUrlEncode(secret))`. */
export function basicAuthorization(key: string, secret: string): string {
  // The form-encoded string is pure ASCII, so btoa is safe here.
  return `Basic ${btoa(`${formUrlEncode(key)}:${formUrlEncode(secret)}`)}`;
}
