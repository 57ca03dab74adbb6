import { OpenAPIBackend } from 'openapi-backend';
import type { OpenApiDocument } from './load-spec.js';
import { HTTP_METHODS, type Operation } from './operations.js';
import { isRecord } from './spec-pointer.js';

export type RouteMatch =
  | { kind: 'operation'; operation: Operation; params: Record<string, string> }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

export type Router = {
  match(method: string, pathname: string): RouteMatch;
  /** A response body synthesised from the response schema alone (openapi-backend's mock). */
  mockFromSchema(operationId: string, status: string, mediaType: string): unknown;
};

/**
 * Routing and schema mocks come from openapi-backend. It gets its own copy of the document, with
 * every operation given an operationId (as our operation list names them) and media-level
 * examples removed, so that its mocks come from the schema (the emulator tries the examples
 * itself first, and checks which of them validate).
 */
export async function createRouter(doc: OpenApiDocument, operations: Operation[]): Promise<Router> {
  const copy = structuredClone(doc);
  for (const op of operations) {
    const item = copy.paths[op.path];
    const raw = isRecord(item) ? item[op.method] : undefined;
    if (isRecord(raw)) raw.operationId = op.operationId;
  }
  stripMediaExamples(copy);
  // quick: skips validating the whole definition (the upstream spec names an undefined
  // `basicAuth` security scheme) and compiles nothing up front; validate: false because the
  // emulator validates requests itself with a JSON Schema 2020-12 validator.
  const api = new OpenAPIBackend({ definition: copy as never, quick: true, validate: false });
  await api.init();
  const byId = new Map(operations.map((op) => [op.operationId, op]));

  const find = (method: string, pathname: string) =>
    api.router.matchOperation({ method, path: pathname, headers: {} }) as
      { operationId?: string } | undefined;

  return {
    match(method, pathname) {
      const found = find(method, pathname);
      const operation = found?.operationId ? byId.get(found.operationId) : undefined;
      if (operation) {
        return { kind: 'operation', operation, params: pathParams(operation.path, pathname) };
      }
      const allow = HTTP_METHODS.filter((m) => find(m, pathname)).map((m) => m.toUpperCase());
      return allow.length ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
    },
    mockFromSchema(operationId, status, mediaType) {
      return api.mockResponseForOperation(operationId, { code: Number(status), mediaType }).mock;
    },
  };
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
