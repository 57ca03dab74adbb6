/** Finding the OAuth2 token operation of a spec: the operation at the `tokenUrl`, whatever its `security` says. */
import { isObject } from '../json.js';
import type { OpenApiDocument } from './load-spec.js';

/** The path of the first OAuth2 `tokenUrl` the spec declares (its pathname if absolute); `/token` if none. */
export function tokenUrlPath(doc: OpenApiDocument): string {
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const scheme of Object.values(schemes)) {
    const flows = isObject(scheme) && isObject(scheme.flows) ? scheme.flows : {};
    for (const flow of Object.values(flows)) {
      if (isObject(flow) && typeof flow.tokenUrl === 'string' && flow.tokenUrl) {
        return new URL(flow.tokenUrl, 'http://spec.invalid').pathname;
      }
    }
  }
  return '/token';
}

const trimSlash = (path: string) => path.replace(/\/+$/, '') || '/';

/** The spec's path key for the token URL (trailing slashes ignored), if it has one. */
export function tokenPathKey(doc: OpenApiDocument): string | undefined {
  const wanted = trimSlash(tokenUrlPath(doc));
  return Object.keys(doc.paths).find((path) => trimSlash(path) === wanted);
}

/** The token operation: POST at the token URL. */
export function tokenOperation(
  doc: OpenApiDocument,
): { path: string; method: 'post'; operation: Record<string, unknown> } | undefined {
  const path = tokenPathKey(doc);
  const item = path === undefined ? undefined : doc.paths[path];
  const operation = isObject(item) ? item.post : undefined;
  return path !== undefined && isObject(operation)
    ? { path, method: 'post', operation }
    : undefined;
}

/** Whether an operation (given by method and path) is the token operation. */
export const isTokenOperation = (doc: OpenApiDocument, method: string, path: string): boolean =>
  method.toLowerCase() === 'post' && path === tokenPathKey(doc);
