import type { OpenApiDocument } from '../spec/load-spec.js';
import type { SchemaChecker } from '../check/schemas.js';
import { alternatives, shapeOf } from '../spec/schema-shape.js';
import { synthesise } from './synthesise.js';

/** What a stored body is made of: the client's fields, and the server's (which win). */
export type BodyParts = {
  given: Record<string, unknown>;
  server: Record<string, unknown>;
  /** Values for properties the body would otherwise lack (a status, `removed: false`). */
  defaults?: Record<string, unknown>;
  /** Optional properties to synthesise when nothing gives them (a `status`). */
  fill?: string[];
};

/**
 * Builds a body that validates against the schema at `at` from the given fields: for each
 * alternative of the schema (its oneOf/anyOf branches, or the schema itself), the fields that
 * branch declares, plus defaults, plus a synthesised value for each required field still missing;
 * the first that validates strictly wins (an overlapping oneOf is relaxed by OVERLAP_RULE).
 * Fields the schema does not declare (a customer's SSN) are left out. `valid: false` when no
 * alternative validates.
 */
export function fitBody(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  at: string,
  parts: BodyParts,
): { body: Record<string, unknown>; valid: boolean } {
  const candidates = alternatives(doc, at).map((branch) => {
    const shape = shapeOf(doc, branch);
    const body: Record<string, unknown> = {};
    const take = (fields: Record<string, unknown> | undefined) => {
      for (const [name, value] of Object.entries(fields ?? {})) {
        if (shape.properties.has(name) && value !== undefined) body[name] = value;
      }
    };
    take(parts.server); // first, so that _links and id lead the body
    take(parts.defaults);
    take(parts.given);
    take(parts.server);
    for (const name of shape.required) {
      const schemaAt = shape.properties.get(name);
      if (body[name] === undefined) body[name] = schemaAt ? synthesise(doc, checker, schemaAt) : {};
    }
    for (const name of parts.fill ?? []) {
      const schemaAt = shape.properties.get(name);
      if (body[name] === undefined && schemaAt) body[name] = synthesise(doc, checker, schemaAt);
    }
    return body;
  });
  // Strict on the spec as loaded: an overlapping oneOf follows OVERLAP_RULE there, so the first
  // branch that holds the fields wins (the one the discriminator value given names, if any).
  const body = candidates.find((c) => checker.check(at, c, 'strict').length === 0);
  if (body) return { body, valid: true };
  // A field the request may send but the response cannot hold as sent (a funding source's
  // `channels`): fit again without the client's fields that fail (fewer each time, so it ends).
  const failing = new Set<string>();
  for (const candidate of candidates) {
    for (const error of checker.check(at, candidate)) {
      const name = (error.path.split('/')[1] ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
      if (Object.hasOwn(parts.given, name)) failing.add(name);
    }
  }
  if (failing.size) {
    const given = Object.fromEntries(Object.entries(parts.given).filter(([n]) => !failing.has(n)));
    return fitBody(doc, checker, at, { ...parts, given });
  }
  return { body: candidates[0] ?? {}, valid: false };
}
