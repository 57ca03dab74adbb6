import { DwollaError } from '../errors.js';

const REDACTED = '[REDACTED]';
/** A scheme word and what follows it: redacted only when that looks like a credential. */
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/%]+=*)/gi;
const MIN_SECRET_LENGTH = 4;
const MIN_TOKEN_LENGTH = 6;
const TRAILING_PUNCTUATION = '.-_~';

/**
 * Token-shaped: at least 6 characters of token68 with a digit, `+`, `/` or `=`, or an upper-case
 * letter after the first, so "basic functionality." or "Bearer token-based" stay as they are.
 */
function isTokenShaped(value: string): boolean {
  // Trailing punctuation (a sentence's full stop) trimmed by a scan from the end: a pattern like
  // /[.\-_~]+$/ retries from every position of a long run, quadratic in the run's length.
  let end = value.length;
  while (end > 0 && TRAILING_PUNCTUATION.includes(value[end - 1]!)) end--;
  return end >= MIN_TOKEN_LENGTH && /[0-9+/=%]|[A-Z]/.test(value.slice(1, end));
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

type Container = unknown[] | Record<string, unknown>;

/**
 * A JSON value with every string (keys included) passed through `redact`. Walked with a stack of
 * its own, not by recursion: a body nested 5,000 deep (JSON.parse takes it) cannot overflow the
 * call stack. Keys are defined, not assigned, so a `__proto__` key stays an ordinary key.
 */
export function redactJson(value: unknown, redact: (text: string) => string): unknown {
  const pending: Array<[source: Container, copy: Container]> = [];
  const copyOf = (item: unknown): unknown => {
    if (typeof item === 'string') return redact(item);
    if (typeof item !== 'object' || item === null) return item;
    const copy: Container = Array.isArray(item) ? [] : {};
    pending.push([item as Container, copy]);
    return copy;
  };
  const root = copyOf(value);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, copy] = next;
    if (Array.isArray(source)) {
      for (const item of source) (copy as unknown[]).push(copyOf(item));
      continue;
    }
    for (const [key, item] of Object.entries(source)) {
      Object.defineProperty(copy, redact(key), {
        value: copyOf(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root;
}

/** How many causes deep an error's chain is redacted. */
const MAX_CAUSE_DEPTH = 8;

/**
 * `error` with every cause in its chain passed through `redact`: a transport's error may quote
 * what it sent (an Authorization header, a secret in a URL). A cause whose message, stack and
 * causes need no redaction is kept as it is (the same object: a caller's abort reason stays
 * theirs); one that does is replaced by a plain Error with the same name and code, its message
 * and stack redacted. A DwollaError (this package's, its message already safe) keeps its class:
 * only its own `cause` is replaced.
 */
export function redactCauses<E>(error: E, redact: (text: string) => string): E {
  if (error instanceof Error) redactCauseOf(error, redact, 0);
  return error;
}

function redactCauseOf(holder: Error, redact: (text: string) => string, depth: number): void {
  if (!('cause' in holder) || depth >= MAX_CAUSE_DEPTH) return;
  const cause = redactedError(holder.cause, redact, depth + 1);
  if (cause !== holder.cause) {
    Object.defineProperty(holder, 'cause', {
      value: cause,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
}

function redactedError(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (!(value instanceof Error)) return value;
  if (value instanceof DwollaError) {
    redactCauseOf(value, redact, depth);
    return value;
  }
  const message = redact(value.message);
  const stack = value.stack === undefined ? undefined : redact(value.stack);
  const cause =
    'cause' in value && depth < MAX_CAUSE_DEPTH
      ? redactedError(value.cause, redact, depth + 1)
      : undefined;
  if (message === value.message && stack === value.stack && cause === value.cause) return value;
  const copy = new Error(message, 'cause' in value ? { cause } : undefined);
  Object.defineProperty(copy, 'name', { value: value.name, writable: true, configurable: true });
  copy.stack = stack;
  const { code } = value as { code?: unknown };
  if (code !== undefined) {
    Object.assign(copy, { code: typeof code === 'string' ? redact(code) : code });
  }
  return copy;
}
