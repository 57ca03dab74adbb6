import { randomUUID } from 'node:crypto';
import type { OpenApiDocument } from '../spec/load-spec.js';
import { dwollaApiHosts, rewriteHrefs } from './links.js';
import type { Operation } from '../spec/operations.js';
import { linkTargets, resourceLinks, type LinkedRequest } from './resource-links.js';
import { rootLinks } from './root-links.js';
import { isRecord, resolve } from '../spec/spec-pointer.js';

/** Dwolla's page size when a list request sends no `limit` (and the spec gives no default). */
const DWOLLA_DEFAULT_LIMIT = 25;

/** Links a success body (JSON text) for a request: see `createLinker`. */
export type Linker = (body: string, operation: Operation, url: URL) => string;

/**
 * The links of the emulator's answers, so that a HAL client can follow them without leaving the
 * emulator: every `href` on Dwolla's API hosts moves to the emulator's origin (links.ts); the
 * root names the collections (root-links.ts); `self`, the parent and a list's pages point at the
 * resources the request names (resource-links.ts).
 */
export function createLinker(
  doc: OpenApiDocument,
  operations: Operation[],
  origin: () => string,
  accountId: string = randomUUID(),
): Linker {
  const hosts = dwollaApiHosts(doc.servers);
  const getPaths = operations.filter((op) => op.method === 'get').map((op) => op.path);
  const targets = linkTargets(getPaths);
  const paging = new Map(operations.map((op) => [op.operationId, pagingOf(doc, op)]));

  return (text, operation, url) => {
    const base = origin();
    const body = rewriteHrefs(JSON.parse(text) as unknown, base, hosts);
    if (operation.method === 'get' && operation.path === '/' && isRecord(body)) {
      // Dwolla's root has the links to what a token reaches, and no self.
      const links = isRecord(body._links) ? body._links : {};
      const root = { ...body, _links: { ...links, ...rootLinks(getPaths, base, accountId) } };
      return JSON.stringify(root);
    }
    const request: LinkedRequest = {
      template: operation.path,
      pathname: url.pathname,
      query: url.searchParams,
      paging: paging.get(operation.operationId),
    };
    return JSON.stringify(resourceLinks(body, base, request, targets));
  };
}

/** Paging, for an operation with `limit` and `offset` query parameters. */
function pagingOf(doc: OpenApiDocument, operation: Operation): LinkedRequest['paging'] {
  const query = operation.parameters.filter((p) => p.in === 'query');
  const limit = query.find((p) => p.name === 'limit');
  if (!limit || !query.some((p) => p.name === 'offset')) return undefined;
  const schema = limit.schemaAt
    ? resolve(doc, { $ref: limit.schemaAt }, limit.schemaAt)
    : undefined;
  const declared = Number(schema?.value.default);
  return { defaultLimit: declared > 0 ? declared : DWOLLA_DEFAULT_LIMIT };
}
