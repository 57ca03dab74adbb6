/**
 * Spec fixes: small, pure corrections applied to Dwolla's OpenAPI document before generation.
 * Each fix returns a new document (the input is never mutated) and how many places it changed;
 * a document that does not need the fix comes back unchanged with a count of 0.
 */
import { isObject } from '../json.js';
import { functionName, functionNameFromRoute } from './function-name.js';
import { SpecError, type OpenApiDocument } from './load-spec.js';
import { tokenOperation } from './token-operation.js';

export interface SpecFix {
  name: string;
  /** What the fix does, as printed by `npm run generate`. */
  describe(count: number): string;
  apply(doc: OpenApiDocument): { doc: OpenApiDocument; count: number };
}

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Located = { path: string; method: string; pathItem: Json; operation: Json };

/** Every operation object of the document, with its path, method and path item. */
function operations(doc: OpenApiDocument): Located[] {
  return Object.entries(doc.paths).flatMap(([path, pathItem]) =>
    isObject(pathItem)
      ? HTTP_METHODS.flatMap((method) => {
          const operation = pathItem[method];
          return isObject(operation) ? [{ path, method, pathItem, operation }] : [];
        })
      : [],
  );
}

const securitySchemes = (doc: OpenApiDocument): Json => {
  const components = isObject(doc.components) ? doc.components : {};
  return isObject(components.securitySchemes) ? components.securitySchemes : {};
};

const isHttpBasic = (scheme: unknown) =>
  isObject(scheme) &&
  scheme.type === 'http' &&
  typeof scheme.scheme === 'string' &&
  scheme.scheme.toLowerCase() === 'basic';

/** The only scheme a security requirement list names, if it names exactly one. */
function soleScheme(security: unknown): string | undefined {
  if (!Array.isArray(security) || security.length !== 1 || !isObject(security[0])) return undefined;
  const names = Object.keys(security[0]);
  return names.length === 1 ? names[0] : undefined;
}

/**
 * The token operation is the one at the OAuth2 `tokenUrl` (Dwolla's `POST /token`), and it takes
 * HTTP Basic (client_secret_basic, RFC 6749 §2.3.1) whatever its `security` says: some spec
 * versions declare none (so it inherits the global OAuth2 requirement), others OAuth2 itself.
 * Its security becomes exactly one HTTP Basic scheme: one the document defines, or `basicAuth`
 * (defined by the next fix when missing).
 */
export const secureTokenOperation: SpecFix = {
  name: 'secure-token-operation',
  describe: () => 'secured the token operation (at the OAuth2 tokenUrl) with HTTP Basic only',
  apply(doc) {
    const token = tokenOperation(doc);
    if (!token) return { doc, count: 0 };
    const schemes = securitySchemes(doc);
    const defined = Object.keys(schemes).find((name) => isHttpBasic(schemes[name]));
    const current = soleScheme(token.operation.security);
    if (current !== undefined && isHttpBasic(schemes[current])) return { doc, count: 0 };
    if (defined === undefined && current === 'basicAuth' && !('basicAuth' in schemes)) {
      return { doc, count: 0 }; // define-basic-auth-scheme defines it
    }
    const name = defined ?? ('basicAuth' in schemes ? 'tokenBasicAuth' : 'basicAuth');
    const fixed = structuredClone(doc);
    tokenOperation(fixed)!.operation.security = [{ [name]: [] }];
    if (defined === undefined && name !== 'basicAuth') {
      const components = (fixed.components ??= {}) as Json;
      components.securitySchemes = { ...securitySchemes(fixed), [name]: BASIC_SCHEME };
    }
    return { doc: fixed, count: 1 };
  },
};

const BASIC_SCHEME = { type: 'http', scheme: 'basic' };

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
      basicAuth: BASIC_SCHEME,
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

/**
 * A `GET` or `HEAD` that declares a `requestBody` makes the generated function send a body, and
 * fetch throws (`Request with GET/HEAD method cannot have body`). The body is dropped.
 */
export const dropGetRequestBodies: SpecFix = {
  name: 'drop-get-request-bodies',
  describe: (count) => `dropped the request body of ${count} GET/HEAD operation(s)`,
  apply(doc) {
    const withBody = (located: Located[]) =>
      located.filter(
        ({ method, operation }) =>
          (method === 'get' || method === 'head') && operation.requestBody !== undefined,
      );
    const count = withBody(operations(doc)).length;
    if (count === 0) return { doc, count: 0 };
    const fixed = structuredClone(doc);
    for (const { operation } of withBody(operations(fixed))) delete operation.requestBody;
    return { doc: fixed, count };
  },
};

/**
 * The generator names each function by the camelCase of its operationId (`ListAccountMassPayments`
 * → `listAccountMassPayments`), or from its method and path when it has none; the emulator and
 * the contract suite go by operationId. Each operationId becomes the name of its function, so the
 * three agree. operationIds that would name the same function (`get-customer`, `getCustomer`,
 * `get_customer`) are refused: the generator would silently number them in spec order.
 */
export const nameOperationsAsFunctions: SpecFix = {
  name: 'name-operations-as-functions',
  describe: (count) =>
    `gave ${count} operation(s) the operationId the generator names its function by`,
  apply(doc) {
    const named = (located: Located) => {
      const id = located.operation.operationId;
      return (
        (typeof id === 'string' ? functionName(id) : undefined) ??
        functionNameFromRoute(located.method, located.path)
      );
    };
    refuseCollisions(operations(doc), named);
    const renamed = (doc: OpenApiDocument) =>
      operations(doc).filter((located) => located.operation.operationId !== named(located));
    const count = renamed(doc).length;
    if (count === 0) return { doc, count: 0 };
    const fixed = structuredClone(doc);
    for (const located of renamed(fixed)) located.operation.operationId = named(located);
    return { doc: fixed, count };
  },
};

/** Throws a SpecError naming the operations whose names collide, if any do. */
function refuseCollisions(located: Located[], named: (located: Located) => string): void {
  const byName = new Map<string, string[]>();
  for (const item of located) {
    const id = item.operation.operationId;
    const label = typeof id === 'string' ? id : `${item.method.toUpperCase()} ${item.path}`;
    byName.set(named(item), [...(byName.get(named(item)) ?? []), label]);
  }
  for (const [name, labels] of byName) {
    if (labels.length > 1) {
      throw new SpecError(
        `operationIds ${labels.map((l) => JSON.stringify(l)).join(', ')} all name the generated function ${name}; give them distinct operationIds`,
      );
    }
  }
}

/**
 * Names the generator suffixes with `_` (JavaScript reserved words, `arguments`, `eval`), and
 * `then`, which would make the generated module "thenable": `await import()` of it would call it.
 */
const RESERVED_WORDS = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export ' +
    'extends false finally for function if implements import in instanceof interface let new ' +
    'null package private protected public return static super switch this throw true try ' +
    'typeof var void while with yield arguments eval then'
  ).split(' '),
);

/** "Delete a webhook subscription" → "deleteWebhookSubscription" (articles dropped). */
function nameFromSummary(summary: string): string {
  const words = summary
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word && !['a', 'an', 'the'].includes(word.toLowerCase()));
  return functionName(words.join('-')) ?? '';
}

/**
 * Dwolla names `DELETE /webhook-subscriptions/{id}` just `delete`, a reserved word, which the
 * generator would export as `delete_`. An operationId that is a JavaScript reserved word (or
 * `then`) is renamed from the operation's summary (`deleteWebhookSubscription`), or suffixed
 * with `Operation` when the summary gives no usable name.
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
  secureTokenOperation,
  defineBasicAuthScheme,
  dropAcceptHeaderParameter,
  dropGetRequestBodies,
  nameOperationsAsFunctions,
  renameReservedOperationIds,
];

/**
 * Applies every fix in turn; returns the fixed document and a line for each fix that changed it.
 * A fix that finds a problem no fix can correct throws a SpecError, here prefixed with `source`.
 */
export function applySpecFixes(
  doc: OpenApiDocument,
  fixes: readonly SpecFix[] = SPEC_FIXES,
  source = 'the spec',
): { doc: OpenApiDocument; report: string[] } {
  const report: string[] = [];
  for (const fix of fixes) {
    let result;
    try {
      result = fix.apply(doc);
    } catch (error) {
      if (error instanceof SpecError) throw new SpecError(`${source}: ${error.message}`);
      throw error;
    }
    if (result.count > 0) report.push(`${fix.name}: ${fix.describe(result.count)}`);
    doc = result.doc;
  }
  return { doc, report };
}
