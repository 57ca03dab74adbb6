import type { OpenApiDocument } from './load-spec.js';
import { escapeSegment, isRecord } from './spec-pointer.js';

/**
 * JSON Schema keywords that no API names a member after: a property by one of these names is a
 * keyword written one level too deep (Dwolla's `Events` lists `additionalProperties: HalLink`
 * under `properties`, beside `_links`). Names that data does use (`type`, `items`, `required`)
 * are not among them.
 */
const KEYWORD_NAMES = ['additionalProperties', 'patternProperties', 'unevaluatedProperties'];

/**
 * The document without the optional properties that exist only because of such a defect, so
 * the emulator never answers with (or asks for) a literal `"additionalProperties"` member; and
 * the JSON pointers of the schemas they were dropped from. A required one is kept (the spec then
 * really asks for it). Examples are left alone. Returns the input itself when there is nothing to drop.
 */
export function withoutKeywordProperties(doc: OpenApiDocument): {
  doc: OpenApiDocument;
  dropped: string[];
} {
  const dropped: string[] = [];
  // `names`: the node is a `properties` map, whose keys are member names, not keywords.
  const walk = (node: unknown, at: string, names = false): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${at}/${i}`));
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${escapeSegment(key)}`;
      if (names) out[key] = walk(value, here);
      else if (key === 'example' || key === 'examples') out[key] = value;
      else if (key === 'properties' && isRecord(value)) {
        out[key] = walk(withoutDefects(value, node.required, here, dropped), here, true);
      } else out[key] = walk(value, here);
    }
    return out;
  };
  const fixed = walk(doc, '#') as OpenApiDocument;
  return { doc: dropped.length ? fixed : doc, dropped };
}

function withoutDefects(
  properties: Record<string, unknown>,
  required: unknown,
  at: string,
  dropped: string[],
): Record<string, unknown> {
  const out = { ...properties };
  for (const name of KEYWORD_NAMES) {
    if (!(name in out) || (Array.isArray(required) && required.includes(name))) continue;
    delete out[name];
    dropped.push(`${at}/${name}`);
  }
  return out;
}
