import type { OpenApiDocument } from './load-spec.js';
import { escapeSegment, isRecord, pointer, resolve } from './spec-pointer.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export type Parameter = {
  name: string;
  in: string;
  required: boolean;
  /** Pointer to the parameter's schema in the raw document, if it has one. */
  schemaAt?: string;
};

export type Operation = {
  operationId: string;
  method: string;
  /** The path template, e.g. `/customers/{id}`. */
  path: string;
  parameters: Parameter[];
  requestBody?: {
    required: boolean;
    /** Media type → pointer to its schema (undefined when the media type has no schema). */
    content: Record<string, string | undefined>;
  };
  /** Status code (as in the spec: "200", "2XX", "default") → resolved response object and its pointer. */
  responses: Record<string, { value: Record<string, unknown>; at: string }>;
};

/** Every operation of the document, with `$ref`s of parameters, bodies and responses followed. */
export function listOperations(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  const ids = new Set<string>();
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = resolve(doc, rawItem, pointer('paths', path));
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const at = pointer('paths', path, method);
      const op = item.value[method];
      if (!isRecord(op)) continue;
      const operationId = typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`;
      if (ids.has(operationId))
        throw new Error(`The spec has a duplicate operationId: ${operationId}`);
      ids.add(operationId);
      operations.push({
        operationId,
        method,
        path,
        parameters: parametersOf(doc, item, op, at),
        requestBody: requestBodyOf(doc, op, at),
        responses: responsesOf(doc, op, at),
      });
    }
  }
  return operations;
}

/** Path-item parameters, overridden by operation parameters of the same name and location. */
function parametersOf(
  doc: OpenApiDocument,
  item: { value: Record<string, unknown>; at: string },
  op: Record<string, unknown>,
  at: string,
): Parameter[] {
  const byKey = new Map<string, Parameter>();
  const collect = (list: unknown, listAt: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const param = resolve(doc, raw, `${listAt}/${i}`);
      if (!param || typeof param.value.name !== 'string' || typeof param.value.in !== 'string') {
        return;
      }
      const { name, in: location, required, schema } = param.value;
      byKey.set(`${location}:${name}`, {
        name,
        in: location,
        required: required === true || location === 'path',
        schemaAt: schema === undefined ? undefined : `${param.at}/schema`,
      });
    });
  };
  collect(item.value.parameters, `${item.at}/parameters`);
  collect(op.parameters, `${at}/parameters`);
  return [...byKey.values()];
}

function requestBodyOf(
  doc: OpenApiDocument,
  op: Record<string, unknown>,
  at: string,
): Operation['requestBody'] {
  const body = resolve(doc, op.requestBody, `${at}/requestBody`);
  if (!body || !isRecord(body.value.content)) return undefined;
  const content: Record<string, string | undefined> = {};
  for (const [mediaType, media] of Object.entries(body.value.content)) {
    const hasSchema = isRecord(media) && media.schema !== undefined;
    content[mediaType.toLowerCase()] = hasSchema
      ? `${body.at}/content/${escapeSegment(mediaType)}/schema`
      : undefined;
  }
  return { required: body.value.required === true, content };
}

function responsesOf(
  doc: OpenApiDocument,
  op: Record<string, unknown>,
  at: string,
): Operation['responses'] {
  const out: Operation['responses'] = {};
  if (!isRecord(op.responses)) return out;
  for (const [status, raw] of Object.entries(op.responses)) {
    const response = resolve(doc, raw, `${at}/responses/${escapeSegment(status)}`);
    if (response) out[status] = response;
  }
  return out;
}
