import type { OpenApiDocument } from './load-spec.js';
import { escapeSegment, isRecord, resolve } from './spec-pointer.js';

/** The properties (name → schema pointer) and required names a schema declares. */
export type Shape = { properties: Map<string, string>; required: Set<string> };

/** The branches of a top-level oneOf/anyOf (pointers), or the schema itself. */
export function alternatives(doc: OpenApiDocument, at: string): string[] {
  const node = resolve(doc, { $ref: at }, at);
  if (!node) return [at];
  for (const keyword of ['oneOf', 'anyOf']) {
    const branches = node.value[keyword];
    if (Array.isArray(branches) && branches.length) {
      return branches.flatMap((_, i) => alternatives(doc, `${node.at}/${keyword}/${i}`));
    }
  }
  return [node.at];
}

/** The properties (name → schema pointer) and required names of a schema, through allOf. */
export function shapeOf(doc: OpenApiDocument, at: string, depth = 0): Shape {
  const shape: Shape = { properties: new Map(), required: new Set() };
  const node = resolve(doc, { $ref: at }, at);
  if (!node || depth > 8) return shape;
  const props = isRecord(node.value.properties) ? node.value.properties : {};
  for (const name of Object.keys(props)) {
    shape.properties.set(name, `${node.at}/properties/${escapeSegment(name)}`);
  }
  if (Array.isArray(node.value.required)) {
    for (const name of node.value.required) if (typeof name === 'string') shape.required.add(name);
  }
  if (Array.isArray(node.value.allOf)) {
    node.value.allOf.forEach((_, i) => {
      const part = shapeOf(doc, `${node.at}/allOf/${i}`, depth + 1);
      for (const [name, ptr] of part.properties) shape.properties.set(name, ptr);
      for (const name of part.required) shape.required.add(name);
    });
  }
  // A schema that declares no properties (`type: object`) takes any field.
  if (shape.properties.size === 0 && node.value.additionalProperties !== false) {
    return { properties: new AnyName(), required: shape.required };
  }
  return shape;
}

/** A property map that has every name (for schemas that declare none). */
class AnyName extends Map<string, string> {
  override has(): boolean {
    return true;
  }
}
