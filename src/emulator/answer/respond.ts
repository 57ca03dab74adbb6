import { randomUUID } from 'node:crypto';
import type { Operation } from '../spec/operations.js';
import { isJsonMediaType } from '../check/request-body.js';
import type { Router } from '../http/router.js';
import type { FieldError, SchemaChecker } from '../check/schemas.js';
import { escapeSegment, isRecord, mediaExamples, resolve } from '../spec/spec-pointer.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import { defaultSuccessStatus } from './success-status.js';
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
 * Picks, once per operation and status, the success response the emulator sends: the given
 * declared status (default: the lowest 2xx, see success-status.ts), and for its body the first
 * candidate that validates against the response schema: the media type's `example`, then its
 * `examples`, then a body synthesised from the schema by mock-json-schema (which uses schema
 * examples), then one from the emulator's own small synthesiser (for what mock-json-schema gets
 * wrong).
 */
export function createResponder(
  doc: OpenApiDocument,
  router: Router,
  checker: SchemaChecker,
): (operation: Operation, status?: string) => SuccessResponse | NoValidSample {
  const cache = new Map<string, SuccessResponse | NoValidSample>();
  return (operation, key = defaultSuccessStatus(operation)) => {
    const id = `${operation.operationId} ${key}`;
    let found = cache.get(id);
    if (found) return found;
    found = pick(doc, router, checker, operation, key);
    if (!checker.guessing()) cache.set(id, found);
    return found;
  };
}

function pick(
  doc: OpenApiDocument,
  router: Router,
  checker: SchemaChecker,
  operation: Operation,
  key: string | undefined,
): SuccessResponse | NoValidSample {
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
    // mock-json-schema overflows the stack on recursive schemas: then it is no candidate.
    () => {
      try {
        return router.mockFromSchema(operation.operationId, key!, mediaType);
      } catch {
        return undefined;
      }
    },
    () => synthesise(doc, checker, schemaAt),
  );
  const values = candidates.map(once);

  // Plain JSON Schema on the spec as the emulator loaded it: each oneOf whose branches overlap
  // follows OVERLAP_RULE (spec/one-of-overlaps.ts), every other oneOf means exactly one branch.
  let errors: FieldError[] = [];
  for (const value of values) {
    const candidate = value();
    errors = checker.check(schemaAt, candidate, 'strict');
    if (!errors.length) return { status, location, mediaType, body: JSON.stringify(candidate) };
  }
  return {
    problem: `No example or synthesised body for ${operation.operationId} (${status}) validates against its schema`,
    errors,
  };
}

/**
 * Where a created resource lives, always a path the spec lets you GET (`getPaths`: the templates
 * with a GET): for POST /customers/{id}/funding-sources that is /funding-sources/<uuid> when the
 * spec has GET /funding-sources/{id}, as Dwolla answers; else the request path plus /<uuid> when
 * it has GET <template>/{id}; else the request path itself when it has a GET there (POST
 * /funding-sources/{id}/micro-deposits initiates the micro-deposits GET on that path shows);
 * else, with nothing to follow, the request path plus /<uuid>.
 */
export function createdLocation(
  operation: Operation,
  pathname: string,
  getPaths: string[],
): string {
  const base = pathname.replace(/\/+$/, '');
  const literal = operation.path
    .split('/')
    .filter((s) => s && !s.startsWith('{'))
    .pop();
  const byId = (prefix: string) =>
    getPaths.some((p) => new RegExp(`^${escapeRe(prefix)}/\\{[^/}]+\\}$`).test(p));
  if (literal && byId(`/${literal}`)) return `/${literal}/${randomUUID()}`;
  if (!byId(operation.path) && getPaths.includes(operation.path)) return base;
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
