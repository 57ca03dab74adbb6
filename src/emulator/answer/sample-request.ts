import type { OpenApiDocument } from '../spec/load-spec.js';
import type { Operation } from '../spec/operations.js';
import { HAL_JSON } from '../http/replies.js';
import { isJsonMediaType } from '../check/request-body.js';
import type { SchemaChecker } from '../check/schemas.js';
import { mediaExamples, resolve } from '../spec/spec-pointer.js';
import { synthesise } from './synthesise.js';

/** A request that the emulator accepts for an operation (given a bearer token, for API calls). */
export type SampleRequest = {
  /** The operation's method, upper case. */
  method: string;
  /** The path with its parameters filled in, e.g. `/customers/8f5f4e36-…`. */
  path: string;
  /** Required query parameters. */
  query: Record<string, string>;
  /** Accept, plus required header parameters (no Authorization, no Content-Type). */
  headers: Record<string, string>;
  /** The declared media type the body is meant for, when the operation takes one. */
  contentType?: string;
  /** The body as data (a JSON value, or form fields for form and multipart media types). */
  body?: unknown;
};

const PLACEHOLDER_ID = '8f5f4e36-0e0f-4c4c-9a5c-6f6c3b0f3c1d';

/**
 * Builds a valid request for an operation from the spec: each required parameter and the body
 * come from the spec's examples where they validate, otherwise from the synthesiser; the body
 * is checked against its schema (the emulator's own rules) and an error is thrown if no
 * candidate validates.
 */
export function sampleRequest(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  operation: Operation,
): SampleRequest {
  const value = (at: string | undefined) => {
    const v = at === undefined ? 'string' : synthesise(doc, checker, at);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  let path = operation.path;
  const query: Record<string, string> = {};
  const headers: Record<string, string> = { accept: HAL_JSON };
  for (const param of operation.parameters) {
    if (param.in === 'path') {
      const v = value(param.schemaAt);
      path = path.replaceAll(
        `{${param.name}}`,
        encodeURIComponent(v === 'string' ? PLACEHOLDER_ID : v),
      );
    } else if (param.required && param.in === 'query') {
      query[param.name] = value(param.schemaAt);
    } else if (param.required && param.in === 'header') {
      const name = param.name.toLowerCase();
      if (!['accept', 'content-type', 'authorization'].includes(name))
        headers[name] = value(param.schemaAt);
    }
  }
  const request: SampleRequest = { method: operation.method.toUpperCase(), path, query, headers };
  const content = operation.requestBody?.content;
  if (!content || !Object.keys(content).length) return request;
  const contentType = Object.keys(content).find(isJsonMediaType) ?? Object.keys(content)[0]!;
  const schemaAt = content[contentType];
  request.contentType = contentType;
  request.body = schemaAt === undefined ? {} : validBody(doc, checker, schemaAt, operation);
  return request;
}

function validBody(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  schemaAt: string,
  operation: Operation,
): unknown {
  const mediaAt = schemaAt.replace(/\/schema$/, '');
  const media = resolve(doc, { $ref: mediaAt }, mediaAt);
  const candidates = mediaExamples(doc, media).map((example) => () => example);
  candidates.push(() => synthesise(doc, checker, schemaAt));
  for (const candidate of candidates) {
    const body = candidate();
    if (checker.check(schemaAt, body).length === 0) return body;
  }
  throw new Error(
    `No example or synthesised body for ${operation.operationId} validates against its schema`,
  );
}
