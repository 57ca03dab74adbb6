import { alternatives, shapeOf } from '../spec/schema-shape.js';
import type { Prepared } from './compile-ahead.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import type { Operation } from '../spec/operations.js';
import { isEmptyValue, parseBody, type ParsedBody } from './request-body.js';
import type { FieldError, SchemaChecker } from './schemas.js';
import { isRecord } from '../spec/spec-pointer.js';
import { validateBody } from './validate.js';

/** Errors listed in a ValidationError at most (the message gives the count). */
export const MAX_LISTED_ERRORS = 100;
/** Bodies up to this size get every error listed; larger ones their first (bounded time). */
export const FULLY_CHECKED_BYTES = 64 * 1024;

/**
 * A request body parsed and checked: the body (the value only when it is valid, reduced to the
 * members its schema declares), the first MAX_LISTED_ERRORS errors and how many there were.
 * Small enough to post between threads whatever the body was.
 */
export type BodyVerdict = { body: ParsedBody; errors: FieldError[]; errorCount: number };

/**
 * Parses a request body and validates it against the operation's schema (the validation run by
 * `prepared`: see compile-ahead.ts). What it answers is bounded: at most MAX_LISTED_ERRORS
 * errors, and a valid object keeps only the top-level members its schema declares (Dwolla ignores
 * the others, and a body of 90,000 unknown members would otherwise cost the main thread as much
 * to receive as to parse).
 */
export async function checkBody(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  operation: Operation,
  contentType: string | undefined,
  raw: Uint8Array,
  prepared: Prepared = async (step) => step(),
): Promise<BodyVerdict> {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const body = await parseBody(operation, contentType, bytes);
  const large = bytes.length > FULLY_CHECKED_BYTES;
  return prepared(() => verdict(doc, checker, operation, body, large));
}

function verdict(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  operation: Operation,
  body: ParsedBody,
  large: boolean,
): BodyVerdict {
  const errors = validateBody(checker, operation, body, large);
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  if (body.kind !== 'parsed') return { body, errors: listed, errorCount: errors.length };
  if (errors.length) {
    return { body: { ...body, value: undefined }, errors: listed, errorCount: errors.length };
  }
  const empty = isEmptyValue(body.value);
  const value = body.schemaAt ? declaredMembers(doc, body.schemaAt, body.value) : body.value;
  return { body: { ...body, value, empty }, errors: [], errorCount: 0 };
}

/** An object without the top-level members that no alternative of its schema declares; a
 * schema that declares none (`type: object`) keeps them all. */
function declaredMembers(doc: OpenApiDocument, at: string, value: unknown): unknown {
  if (!isRecord(value) || Array.isArray(value)) return value;
  const shapes = alternatives(doc, at).map((branch) => shapeOf(doc, branch).properties);
  const kept = Object.entries(value).filter(([name]) => shapes.some((s) => s.has(name)));
  return kept.length === Object.keys(value).length ? value : Object.fromEntries(kept);
}
