import type { IncomingHttpHeaders } from 'node:http';
import type { Operation } from '../spec/operations.js';
import type { ParsedBody } from './request-body.js';
import { entriesToObject } from './request-body.js';
import type { FieldError, SchemaChecker } from './schemas.js';

/** Headers the emulator checks by its own rules (OpenAPI says to ignore these as parameters). */
const OWN_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * Checks path, query and header parameters against the operation's parameter schemas. Errors
 * point into `{ path, query, header }`, e.g. `/query/limit`. Unknown query parameters are refused,
 * as stripe-mock does, so a client that sends a misspelt one finds out.
 */
export function validateParameters(
  checker: SchemaChecker,
  operation: Operation,
  input: { params: Record<string, string>; query: URLSearchParams; headers: IncomingHttpHeaders },
): FieldError[] {
  const data = {
    path: input.params,
    query: entriesToObject(input.query),
    header: { ...input.headers },
  };
  return checker.checkCoercing(
    operation.operationId,
    (ref) => parameterSchema(operation, ref),
    data,
  );
}

/** Checks a parsed body against the schema of the media type it was matched to; a `large` one
 * only up to its first error, so that its check takes bounded time. */
export function validateBody(
  checker: SchemaChecker,
  operation: Operation,
  body: ParsedBody,
  large = false,
): FieldError[] {
  if (body.kind === 'none') {
    return operation.requestBody?.required
      ? [{ code: 'Required', message: 'A request body is required.', path: '' }]
      : [];
  }
  if (body.kind !== 'parsed' || body.schemaAt === undefined) return [];
  return checker.check(body.schemaAt, body.value, large ? 'first' : 'lenient');
}

function parameterSchema(operation: Operation, ref: (at: string) => object): object {
  const section = (additionalProperties: boolean) => ({
    type: 'object',
    properties: {} as Record<string, object>,
    required: [] as string[],
    additionalProperties,
  });
  const sections: Record<string, ReturnType<typeof section>> = {
    path: section(true),
    query: section(false),
    header: section(true),
  };
  for (const param of operation.parameters) {
    const target = sections[param.in];
    const name = param.in === 'header' ? param.name.toLowerCase() : param.name;
    if (!target || (param.in === 'header' && OWN_HEADERS.has(name))) continue;
    target.properties[name] = param.schemaAt ? ref(param.schemaAt) : {};
    if (param.required) target.required.push(name);
  }
  return { type: 'object', properties: sections };
}
