/**
 * Spec fixes: small, pure corrections applied to Dwolla's OpenAPI document before generation.
 * Each fix returns a new document (the input is never mutated) and how many places it changed;
 * a document that does not need the fix comes back unchanged with a count of 0.
 */
import { isObject } from '../json.js';
import type { OpenApiDocument } from './load-spec.js';

export interface SpecFix {
  name: string;
  /** What the fix does, as printed by `npm run generate`. */
  describe(count: number): string;
  apply(doc: OpenApiDocument): { doc: OpenApiDocument; count: number };
}

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation object of the document, with its path item. */
function operations(doc: OpenApiDocument): Array<{ pathItem: Json; operation: Json }> {
  return Object.values(doc.paths).flatMap((pathItem) =>
    isObject(pathItem)
      ? HTTP_METHODS.map((method) => pathItem[method])
          .filter(isObject)
          .map((operation) => ({ pathItem, operation }))
      : [],
  );
}

const securitySchemes = (doc: OpenApiDocument): Json => {
  const components = isObject(doc.components) ? doc.components : {};
  return isObject(components.securitySchemes) ? components.securitySchemes : {};
};

/**
 * `POST /token` names a `basicAuth` security scheme that `components.securitySchemes` never
 * defines, so the generator drops the operation's security requirement. Define it as HTTP Basic
 * (client_secret_basic, RFC 6749 §2.3.1).
 */
export const defineBasicAuthScheme: SpecFix = {
  name: 'define-basic-auth-scheme',
  describe: (count) =>
    `defined securitySchemes.basicAuth (HTTP Basic), named by ${count} operation(s)`,
  apply(doc) {
    if ('basicAuth' in securitySchemes(doc)) return { doc, count: 0 };
    const naming = operations(doc).filter(({ operation }) =>
      (Array.isArray(operation.security) ? operation.security : []).some(
        (requirement) => isObject(requirement) && 'basicAuth' in requirement,
      ),
    );
    if (naming.length === 0) return { doc, count: 0 };
    const fixed = structuredClone(doc);
    const components = (fixed.components ??= {}) as Json;
    components.securitySchemes = {
      ...securitySchemes(fixed),
      basicAuth: { type: 'http', scheme: 'basic' },
    };
    return { doc: fixed, count: naming.length };
  },
};

/** Resolves a local `#/components/parameters/X` reference; anything else is returned as is. */
function resolveParameter(doc: OpenApiDocument, parameter: unknown): unknown {
  if (!isObject(parameter) || typeof parameter.$ref !== 'string') return parameter;
  const match = /^#\/components\/parameters\/(.+)$/.exec(parameter.$ref);
  const components = isObject(doc.components) ? doc.components : {};
  const parameters = isObject(components.parameters) ? components.parameters : {};
  return match?.[1] ? parameters[decodeURIComponent(match[1])] : parameter;
}

const isAcceptHeader = (doc: OpenApiDocument, parameter: unknown): boolean => {
  const resolved = resolveParameter(doc, parameter);
  return (
    isObject(resolved) &&
    resolved.in === 'header' &&
    typeof resolved.name === 'string' &&
    resolved.name.toLowerCase() === 'accept'
  );
};

/**
 * Every Dwolla operation but `/token` declares a required `Accept:
 * application/vnd.dwolla.v1.hal+json` header parameter, which would make every call site pass it.
 * The client sets that header itself, so the parameter is dropped from every operation and
 * path item.
 */
export const dropAcceptHeaderParameter: SpecFix = {
  name: 'drop-accept-header-parameter',
  describe: (count) => `dropped the Accept header parameter from ${count} operation(s)`,
  apply(doc) {
    const hasAccept = (owner: Json) =>
      Array.isArray(owner.parameters) && owner.parameters.some((p) => isAcceptHeader(doc, p));
    const count = operations(doc).filter(
      ({ pathItem, operation }) => hasAccept(operation) || hasAccept(pathItem),
    ).length;
    if (count === 0) return { doc, count: 0 };
    const fixed = structuredClone(doc);
    const owners = operations(fixed).flatMap(({ pathItem, operation }) => [pathItem, operation]);
    for (const owner of owners) {
      if (Array.isArray(owner.parameters) && hasAccept(owner)) {
        owner.parameters = owner.parameters.filter((p) => !isAcceptHeader(doc, p));
      }
    }
    return { doc: fixed, count };
  },
};

const RESERVED_WORDS = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export ' +
    'extends false finally for function if implements import in instanceof interface let new ' +
    'null package private protected public return static super switch this throw true try ' +
    'typeof var void while with yield'
  ).split(' '),
);

/** "Delete a webhook subscription" → "deleteWebhookSubscription" (articles dropped). */
function nameFromSummary(summary: string): string {
  const words = summary
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word && !['a', 'an', 'the'].includes(word.toLowerCase()));
  return words
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

/**
 * Dwolla names `DELETE /webhook-subscriptions/{id}` just `delete`, a reserved word, which the
 * generator would export as `delete_`. An operationId that is a JavaScript reserved word is
 * renamed from the operation's summary (`deleteWebhookSubscription`), or suffixed with
 * `Operation` when the summary gives no usable name.
 */
export const renameReservedOperationIds: SpecFix = {
  name: 'rename-reserved-operation-ids',
  describe: (count) => `renamed ${count} operationId(s) that are JavaScript reserved words`,
  apply(doc) {
    const isReserved = (operation: Json) =>
      typeof operation.operationId === 'string' && RESERVED_WORDS.has(operation.operationId);
    const count = operations(doc).filter(({ operation }) => isReserved(operation)).length;
    if (count === 0) return { doc, count: 0 };
    const fixed = structuredClone(doc);
    const taken = new Set(operations(fixed).map(({ operation }) => operation.operationId));
    for (const { operation } of operations(fixed).filter(({ operation }) =>
      isReserved(operation),
    )) {
      const fromSummary =
        typeof operation.summary === 'string' ? nameFromSummary(operation.summary) : '';
      const name =
        fromSummary && !RESERVED_WORDS.has(fromSummary) && !taken.has(fromSummary)
          ? fromSummary
          : `${String(operation.operationId)}Operation`;
      taken.add(name);
      operation.operationId = name;
    }
    return { doc: fixed, count };
  },
};

/** The fixes `npm run generate` applies, in order. */
export const SPEC_FIXES: readonly SpecFix[] = [
  defineBasicAuthScheme,
  dropAcceptHeaderParameter,
  renameReservedOperationIds,
];

/** Applies every fix in turn; returns the fixed document and a line for each fix that changed it. */
export function applySpecFixes(
  doc: OpenApiDocument,
  fixes: readonly SpecFix[] = SPEC_FIXES,
): { doc: OpenApiDocument; report: string[] } {
  const report: string[] = [];
  for (const fix of fixes) {
    const result = fix.apply(doc);
    if (result.count > 0) report.push(`${fix.name}: ${fix.describe(result.count)}`);
    doc = result.doc;
  }
  return { doc, report };
}
