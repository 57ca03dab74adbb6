import { shapeOf } from '../spec/schema-shape.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import type { Operation } from '../spec/operations.js';
import { isJsonMediaType } from '../check/request-body.js';
import { defaultSuccessStatus } from '../answer/success-status.js';
import { escapeSegment, isRecord, resolve } from '../spec/spec-pointer.js';

/** Where a resource's parent is named in a path: `/customers/{id}/…` → type customers, param id. */
export type ParentRef = { type: string; param: string };

/** What an operation does to the emulator's state, read from its path, method and status. */
export type Role =
  /** POST /customers, POST /customers/{id}/funding-sources: answers 201 and stores an item. */
  | { kind: 'create'; type: string; parent?: ParentRef }
  /** GET /customers, GET /customers/{id}/funding-sources: answers `_embedded.<embedded>`. */
  | { kind: 'list'; type: string; embedded: string; itemsAt: string; parent?: ParentRef }
  /** GET, POST (update) and DELETE of /customers/{id}. */
  | { kind: 'get' | 'update' | 'remove'; type: string; param: string }
  /** Anything else under a stored item, e.g. GET /funding-sources/{id}/balance: 404 if unknown. */
  | { kind: 'under'; type: string; param: string }
  /** GET /accounts/{id}/funding-sources, /accounts/{id}/transfers: the account's items. */
  | { kind: 'account-list'; type: string; embedded: string; itemsAt: string; param: string }
  /** POST /sandbox-simulations: processes pending transfers, as Dwolla's sandbox does. */
  | { kind: 'simulate' };

export type ResourceModel = {
  /** The role of an operation; undefined for operations that do not touch state (GET /). */
  roleOf(operation: Operation): Role | undefined;
  /** Types the emulator stores: those the spec creates, plus events and webhooks it makes. */
  types: ReadonlySet<string>;
  /** Pointer to the schema an item of a type is answered with (its GET's 200), if the spec has one. */
  itemSchemaAt(type: string): string | undefined;
  /** Names of the GET lists nested under an item of a type (`/customers/{id}/transfers` → transfers). */
  nestedLists(type: string): string[];
  /** Whether a type is also created under a parent (`POST /customers/{id}/funding-sources`), so
   * that those created at the top level (`POST /funding-sources`) are the account's own. */
  createdUnderParent(type: string): boolean;
};

/** Types the emulator makes itself (events of state changes, webhook deliveries). */
export const EVENTS = 'events';
export const WEBHOOKS = 'webhooks';
export const SUBSCRIPTIONS = 'webhook-subscriptions';
/** `POST /webhooks/{id}/retries` redelivers a webhook; its retries are listed there. */
export const RETRIES = 'retries';
/** The Dwolla account a token acts for (`GET /accounts/{id}`): not created, always there. */
export const ACCOUNTS = 'accounts';
export const SIMULATIONS_PATH = '/sandbox-simulations';

const isParam = (segment: string) => /^\{[^}]+\}$/.test(segment);
const paramName = (segment: string) => segment.slice(1, -1);

/**
 * Reads the resource collections from the spec's paths: a collection is a literal path segment
 * (`customers`) that a 201 POST creates into, an item is `/<collection>/{param}`, a list is a GET
 * on a collection path whose 200 body has an `_embedded` array.
 */
export function readResourceModel(doc: OpenApiDocument, operations: Operation[]): ResourceModel {
  const segmentsOf = (op: Operation) => op.path.split('/').filter(Boolean);
  const status = (op: Operation) => defaultSuccessStatus(op);
  const types = new Set<string>([EVENTS, WEBHOOKS]);
  for (const op of operations) {
    const segments = segmentsOf(op);
    const last = segments.at(-1);
    if (op.method === 'post' && status(op) === '201' && last && !isParam(last)) types.add(last);
  }

  const roles = new Map<string, Role>();
  const itemSchemas = new Map<string, string>();
  const nested = new Map<string, string[]>();
  const createdUnder = new Set<string>();
  for (const op of operations) {
    const role = roleFor(op);
    if (role) roles.set(op.operationId, role);
    if (role?.kind === 'get') {
      const at = bodySchemaAt(doc, op);
      if (at) itemSchemas.set(role.type, at);
    }
    if (role?.kind === 'list' && role.parent) {
      nested.set(role.parent.type, [...(nested.get(role.parent.type) ?? []), role.type]);
    }
    if (role?.kind === 'create' && role.parent) createdUnder.add(role.type);
  }
  // Types with no GET of their own are answered with their list's item schema.
  for (const role of roles.values()) {
    if ((role.kind === 'list' || role.kind === 'account-list') && !itemSchemas.has(role.type)) {
      itemSchemas.set(role.type, role.itemsAt);
    }
  }

  function roleFor(op: Operation): Role | undefined {
    const segments = segmentsOf(op);
    const [first, second] = segments;
    const last = segments.at(-1);
    if (op.method === 'post' && op.path === SIMULATIONS_PATH) return { kind: 'simulate' };
    if (!first || isParam(first) || !last) return undefined;
    const parent =
      segments.length === 3 && second && isParam(second) && types.has(first)
        ? { type: first, param: paramName(second) }
        : undefined;
    const collection = segments.length === 1 || parent !== undefined;
    if (collection && !isParam(last) && types.has(last)) {
      if (op.method === 'post' && status(op) === '201')
        return { kind: 'create', type: last, parent };
      const embedded = op.method === 'get' ? embeddedList(doc, op) : undefined;
      if (embedded) return { kind: 'list', type: last, ...embedded, parent };
    }
    if (first === ACCOUNTS && segments.length === 3 && second && isParam(second)) {
      const embedded = op.method === 'get' && types.has(last) ? embeddedList(doc, op) : undefined;
      if (embedded) {
        return { kind: 'account-list', type: last, ...embedded, param: paramName(second) };
      }
    }
    if (!second || !isParam(second) || !types.has(first)) return undefined;
    const param = paramName(second);
    if (segments.length > 2) return { kind: 'under', type: first, param };
    if (op.method === 'get') return { kind: 'get', type: first, param };
    if (op.method === 'delete') return { kind: 'remove', type: first, param };
    if (['post', 'put', 'patch'].includes(op.method)) return { kind: 'update', type: first, param };
    return undefined;
  }

  return {
    roleOf: (op) => roles.get(op.operationId),
    types,
    itemSchemaAt: (type) => itemSchemas.get(type),
    nestedLists: (type) => nested.get(type) ?? [],
    createdUnderParent: (type) => createdUnder.has(type),
  };
}

/** Pointer to the JSON schema of an operation's success response body, if it has one. */
export function bodySchemaAt(doc: OpenApiDocument, op: Operation): string | undefined {
  return successBody(doc, op)?.at;
}

/** The JSON media type and schema pointer of an operation's success response body, if any. */
export function successBody(
  doc: OpenApiDocument,
  op: Operation,
): { mediaType: string; at: string } | undefined {
  const key = defaultSuccessStatus(op);
  const response = key ? op.responses[key] : undefined;
  const content = isRecord(response?.value.content) ? response.value.content : {};
  const mediaType = Object.keys(content).find(isJsonMediaType);
  if (!response || !mediaType) return undefined;
  const media = content[mediaType];
  if (!isRecord(media) || media.schema === undefined) return undefined;
  const at = `${response.at}/content/${escapeSegment(mediaType)}/schema`;
  return { mediaType, at: resolve(doc, media.schema, at)?.at ?? at };
}

/** The `_embedded` array property a list answers with, and the pointer to its item schema. */
function embeddedList(
  doc: OpenApiDocument,
  op: Operation,
): { embedded: string; itemsAt: string } | undefined {
  const at = bodySchemaAt(doc, op);
  const embeddedAt = at ? shapeOf(doc, at).properties.get('_embedded') : undefined;
  const embedded = embeddedAt ? resolve(doc, { $ref: embeddedAt }, embeddedAt) : undefined;
  const lists = isRecord(embedded?.value.properties) ? embedded.value.properties : {};
  for (const [name, raw] of Object.entries(lists)) {
    const list = resolve(doc, raw, `${embedded!.at}/properties/${escapeSegment(name)}`);
    if (list?.value.type === 'array' && list.value.items !== undefined) {
      return { embedded: name, itemsAt: `${list.at}/items` };
    }
  }
  return undefined;
}
