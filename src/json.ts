/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse that reports failure instead of throwing; empty text is `undefined`. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const decoder = new TextDecoder();

/** A body's text, as `Response#text()` decodes it (UTF-8, a BOM dropped, bad bytes replaced). */
export function bodyText(bytes: Uint8Array): string {
  return bytes.byteLength === 0 ? '' : decoder.decode(bytes);
}
