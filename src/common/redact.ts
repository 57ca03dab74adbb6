const REDACTED = '[REDACTED]';
/** A scheme word and what follows it: redacted only when that looks like a credential. */
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/%]+=*)/gi;
const MIN_SECRET_LENGTH = 4;
const MIN_TOKEN_LENGTH = 6;

/**
 * Token-shaped: at least 6 characters of token68 with a digit, `+`, `/` or `=`, or an upper-case
 * letter after the first, so "basic functionality." or "Bearer token-based" stay as they are.
 */
function isTokenShaped(value: string): boolean {
  const trimmed = value.replace(/[.\-_~]+$/, '');
  return trimmed.length >= MIN_TOKEN_LENGTH && /[0-9+/=%]|[A-Z]/.test(trimmed.slice(1));
}

/**
 * Removes every literal occurrence of the given secrets (case-sensitive: a key, a secret, a
 * Basic value, tokens) from text that came from outside (a server's error message), then
 * token-shaped values after `Bearer ` or `Basic `. Ordinary words are left alone.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out.replace(AUTHORIZATION_VALUE, (match, scheme: string, space: string, value: string) =>
    isTokenShaped(value) ? `${scheme}${space}${REDACTED}` : match,
  );
}

/** A JSON value with every string (keys included) passed through `redact`. */
export function redactJson(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redact(k), redactJson(v, redact)]),
    );
  }
  return value;
}
