const REDACTED = '[REDACTED]';
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/%=]+/gi;
const MIN_SECRET_LENGTH = 4;

/**
 * Removes Authorization-like values (`Bearer …`, `Basic …`) and any literal occurrence of the
 * given secrets from text that came from outside (a server's error message).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out.replace(AUTHORIZATION_VALUE, `$1 ${REDACTED}`);
}
