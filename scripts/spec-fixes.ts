/**
 * Spec fixes: small, pure corrections applied to Dwolla's OpenAPI document before generation.
 * Each fix returns a new document (the input is never mutated) and how many places it changed;
 * a document that does not need the fix comes back unchanged with a count of 0.
 */
import type { OpenApiDocument } from './load-spec.js';

export interface SpecFix {
  name: string;
  /** What the fix does, as printed by `npm run generate`. */
  describe(count: number): string;
  apply(doc: OpenApiDocument): { doc: OpenApiDocument; count: number };
}

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

/** The fixes `npm run generate` applies, in order. */
export const SPEC_FIXES: readonly SpecFix[] = [defineBasicAuthScheme, dropAcceptHeaderParameter];

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
