import { randomUUID } from 'node:crypto';
import type { Operation } from './operations.js';
import { isJsonMediaType } from './request-body.js';
import type { Router } from './router.js';
import type { FieldError, SchemaChecker } from './schemas.js';
import { escapeSegment, isRecord, mediaExamples, resolve } from './spec-pointer.js';
import type { OpenApiDocument } from './load-spec.js';
import { synthesise } from './synthesise.js';

export type SuccessResponse = {
  status: number;
  /** Absent when the response has no body (e.g. Dwolla's 201 Created). */
  mediaType?: string;
  body?: string;
  /** Whether to send a Location header (201s, and responses that declare one). */
  location: boolean;
};

export type NoValidSample = { problem: string; errors: FieldError[] };

/**
 * Picks, once per operation, the success response the emulator sends: the lowest 2xx status
 * the operation declares, and for its body the first candidate that validates against the
 * response schema: the media type's `example`, then its `examples`, then a body synthesised
 * from the schema by mock-json-schema (which uses schema examples),
 * then one from the emulator's own small synthesiser (for what mock-json-schema gets wrong).
 */
export function createResponder(
  doc: OpenApiDocument,
  router: Router,
  checker: SchemaChecker,
): (operation: Operation) => SuccessResponse | NoValidSample {
  const cache = new Map<string, SuccessResponse | NoValidSample>();
  return (operation) => {
    let found = cache.get(operation.operationId);
    if (!found) cache.set(operation.operationId, (found = pick(doc, router, checker, operation)));
    return found;
  };
}

export function successStatusKey(operation: Operation): string | undefined {
  const keys = Object.keys(operation.responses);
  const explicit = keys.filter((k) => /^2\d\d$/.test(k)).sort();
  return (
    explicit[0] ?? keys.find((k) => k.toUpperCase() === '2XX') ?? keys.find((k) => k === 'default')
  );
}

function pick(
  doc: OpenApiDocument,
  router: Router,
  checker: SchemaChecker,
  operation: Operation,
): SuccessResponse | NoValidSample {
  const key = successStatusKey(operation);
  const status = key && /^2\d\d$/.test(key) ? Number(key) : 200;
  const response = key ? operation.responses[key] : undefined;
  const headers = isRecord(response?.value.headers) ? Object.keys(response.value.headers) : [];
  const location = status === 201 || headers.some((h) => h.toLowerCase() === 'location');
  const content = isRecord(response?.value.content) ? response.value.content : {};
  const mediaType = Object.keys(content).find(isJsonMediaType) ?? Object.keys(content)[0];
  if (!response || mediaType === undefined) return { status, location };

  const mediaAt = `${response.at}/content/${escapeSegment(mediaType)}`;
  const media = resolve(doc, content[mediaType], mediaAt);
  const candidates = mediaExamples(doc, media).map((example) => () => example);
  if (media?.value.schema === undefined) {
    return { status, location, mediaType, body: JSON.stringify(candidates[0]?.() ?? {}) };
  }
  const schemaAt = `${media.at}/schema`;
  candidates.push(
    () => router.mockFromSchema(operation.operationId, key!, mediaType),
    () => synthesise(doc, checker, schemaAt),
  );
  const values = candidates.map(once);

  // Plain JSON Schema first; failing that, with Dwolla's overlapping oneOfs read as anyOf.
  let errors: FieldError[] = [];
  for (const mode of ['strict', 'lenient'] as const) {
    for (const value of values) {
      const candidate = value();
      errors = checker.check(schemaAt, candidate, mode);
      if (!errors.length) return { status, location, mediaType, body: JSON.stringify(candidate) };
    }
  }
  return {
    problem: `No example or synthesised body for ${operation.operationId} (${status}) validates against its schema`,
    errors,
  };
}

/**
 * Where a created resource lives: for POST /customers/{id}/funding-sources that is
 * /funding-sources/<uuid> when the spec has a /funding-sources/{id} path, as Dwolla answers;
 * otherwise the request path plus /<uuid>.
 */
export function createdLocation(operation: Operation, pathname: string, paths: string[]): string {
  const literal = operation.path
    .split('/')
    .filter((s) => s && !s.startsWith('{'))
    .pop();
  const single = paths.some(
    (p) => literal && new RegExp(`^/${escapeRe(literal)}/\\{[^/}]+\\}$`).test(p),
  );
  const base = single ? `/${literal}` : pathname.replace(/\/+$/, '');
  return `${base}/${randomUUID()}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) [value, done] = [make(), true];
    return value;
  };
}
