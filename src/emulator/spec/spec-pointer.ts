/** JSON Pointer (RFC 6901) helpers for addressing parts of the raw spec document. */
import { isObject as isRecord } from '../../json.js';

export function pointer(...segments: string[]): string {
  return '#' + segments.map((s) => '/' + escapeSegment(s)).join('');
}

/** One pointer segment, also percent-encoded so the pointer is a valid URI fragment (as ajv reads `$ref`s). */
export function escapeSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

export function get(doc: unknown, ptr: string): unknown {
  const parts = ptr.replace(/^#/, '').split('/').slice(1);
  let node: unknown = doc;
  for (const raw of parts) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Follows `$ref`s (local ones only, as Dwolla's spec uses) until a real object is reached.
 * Returns the object and the pointer it lives at, so schemas inside it can be addressed by ref.
 */
export function resolve(
  doc: unknown,
  value: unknown,
  at: string,
): { value: Record<string, unknown>; at: string } | undefined {
  const seen = new Set<string>();
  while (isRecord(value) && typeof value.$ref === 'string') {
    const ref = value.$ref;
    if (!ref.startsWith('#') || seen.has(ref)) return undefined;
    seen.add(ref);
    at = ref;
    value = get(doc, ref);
  }
  return isRecord(value) ? { value, at } : undefined;
}

export { isRecord };

/**
 * The examples a media type object gives, in order: its `example`, then the `value` of each of
 * its `examples` (`$ref`s followed).
 */
export function mediaExamples(
  doc: unknown,
  media: { value: Record<string, unknown>; at: string } | undefined,
): unknown[] {
  if (!media) return [];
  const found: unknown[] = [];
  if (media.value.example !== undefined) found.push(media.value.example);
  if (isRecord(media.value.examples)) {
    for (const [name, example] of Object.entries(media.value.examples)) {
      const resolved = resolve(doc, example, `${media.at}/examples/${escapeSegment(name)}`);
      if (resolved && 'value' in resolved.value) found.push(resolved.value.value);
    }
  }
  return found;
}
