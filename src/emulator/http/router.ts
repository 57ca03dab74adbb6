import type * as Dereference from 'dereference-json-schema';
import type FindMyWay from 'find-my-way';
import type * as MockJsonSchema from 'mock-json-schema';
import type { OpenApiDocument } from '../spec/load-spec.js';
import { emulatorPeer } from '../peers.js';
import { HTTP_METHODS, type Operation } from '../spec/operations.js';
import { isRecord } from '../spec/spec-pointer.js';

const createFindMyWay = emulatorPeer<typeof FindMyWay>('find-my-way');
const { dereferenceSync } = emulatorPeer<typeof Dereference>('dereference-json-schema');
const { mock } = emulatorPeer<typeof MockJsonSchema>('mock-json-schema');

export type RouteMatch =
  | { kind: 'operation'; operation: Operation; params: Record<string, string> }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

export type Router = {
  match(method: string, pathname: string): RouteMatch;
  /** A response body synthesised from the response schema alone (mock-json-schema's mock). */
  mockFromSchema(operationId: string, status: string, mediaType: string): unknown;
};

/**
 * Routing is find-my-way's radix tree (static segments win over parameters, as OpenAPI asks);
 * schema mocks are mock-json-schema's, on a dereferenced copy of the document whose media-level
 * examples are removed, so that its mocks come from the schema (the emulator tries the examples
 * itself first, and checks which of them validate).
 */
export async function createRouter(doc: OpenApiDocument, operations: Operation[]): Promise<Router> {
  // Long enough for any path parameter a client sends: the emulator's validation, not the
  // router, is what rejects a bad one.
  const routes = createFindMyWay({ ignoreTrailingSlash: true, maxParamLength: 65_535 });
  for (const op of operations) {
    const method = op.method.toUpperCase() as FindMyWay.HTTPMethod;
    const path = routePath(op.path);
    // Two templates that differ only in parameter names are the same path (OpenAPI forbids
    // both): the first one declared answers.
    if (!routes.hasRoute(method, path)) routes.on(method, path, () => undefined, op);
  }
  const copy = structuredClone(doc);
  stripMediaExamples(copy);
  const resolved = dereferenceSync(copy as never) as unknown as OpenApiDocument;
  const byId = new Map(operations.map((op) => [op.operationId, op]));

  const find = (method: string, pathname: string) =>
    routes.find(method.toUpperCase() as FindMyWay.HTTPMethod, pathname)?.store as
      Operation | undefined;

  return {
    match(method, pathname) {
      const operation = find(method, pathname);
      if (operation) {
        return { kind: 'operation', operation, params: pathParams(operation.path, pathname) };
      }
      const allow = HTTP_METHODS.filter((m) => find(m, pathname)).map((m) => m.toUpperCase());
      return allow.length ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
    },
    mockFromSchema(operationId, status, mediaType) {
      const op = byId.get(operationId);
      const item = op ? resolved.paths[op.path]?.[op.method] : undefined;
      const responses = isRecord(item) && isRecord(item.responses) ? item.responses : {};
      const response = responses[status];
      const content = isRecord(response) && isRecord(response.content) ? response.content : {};
      const media = content[mediaType] ?? Object.values(content)[0];
      return isRecord(media) && media.schema !== undefined ? mock(media.schema as never) : {};
    },
  };
}

/** An OpenAPI path template as a find-my-way route: `{name}` → `:p0`, a literal `:` → `::`. */
function routePath(template: string): string {
  let n = 0;
  return template
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replaceAll(':', '::'))
    .reduce((path, literal) => `${path}:p${n++}${literal}`);
}

/** Path parameters by name, percent-decoded (a value that does not decode is kept as sent). */
export function pathParams(template: string, pathname: string): Record<string, string> {
  const names: string[] = [];
  const pattern = template
    .split(/\{([^}]+)\}/)
    .map((part, i) => {
      if (i % 2) {
        names.push(part);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const values = new RegExp(`^${pattern}/*$`).exec(pathname)?.slice(1) ?? [];
  return Object.fromEntries(names.map((name, i) => [name, safeDecode(values[i] ?? '')]));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function stripMediaExamples(doc: OpenApiDocument): void {
  const operations = Object.values(doc.paths).flatMap((item) =>
    isRecord(item) ? Object.values(item) : [],
  );
  const responses = [
    ...operations.flatMap((op) =>
      isRecord(op) && isRecord(op.responses) ? Object.values(op.responses) : [],
    ),
    ...(isRecord(doc.components?.responses) ? Object.values(doc.components.responses) : []),
  ];
  for (const response of responses) {
    if (!isRecord(response) || !isRecord(response.content)) continue;
    for (const media of Object.values(response.content)) {
      if (!isRecord(media)) continue;
      delete media.example;
      delete media.examples;
    }
  }
}
