import { fitBody, type BodyParts } from '../answer/fit-body.js';
import { halLink, singular } from '../answer/resource-links.js';
import type { SchemaChecker } from '../check/schemas.js';
import { createdTopic } from '../events/topics.js';
import { createEvents } from '../events/record.js';
import type { WebhookSender } from '../events/webhooks.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import { randomUUID } from 'node:crypto';
import { isRecord } from '../spec/spec-pointer.js';
import type { UploadedFile } from '../check/request-body.js';
import { NotFoundError, ValidationError } from './errors.js';
import type { Draft, ItemCall, SandboxContext } from './family.js';
import { ACCOUNTS, SIMULATIONS_PATH, type ResourceModel } from './resource-model.js';
import { FAMILIES, rulesOf } from './rules/index.js';
import { selfHref, splitKey, type Store, type StoredResource } from './store.js';

export type BackendDeps = {
  doc: OpenApiDocument;
  checker: SchemaChecker;
  model: ResourceModel;
  store: Store;
  webhooks: Pick<WebhookSender, 'send' | 'settings'>;
  origin: () => string;
  now: () => number;
  /** The id of the account the emulator's tokens act for (`/accounts/<accountId>`). */
  accountId: string;
  /** Webhook delivery attempts kept, all deliveries together. */
  maxAttempts: number;
};

/** What a new resource is created from (the request, as the sandbox's HTTP layer read it). */
export type NewResource = {
  type: string;
  /** Its id and its href (`_links.self`): where the spec lets you read it back. */
  id: string;
  href: string;
  /** The request's fields. */
  given: Record<string, unknown>;
  parent?: StoredResource;
  /** A multipart request's file parts by field name. */
  files?: Record<string, UploadedFile>;
};

/** Values Dwolla gives fields the client does not set. */
const DEFAULTS = { removed: false, paused: false };
/** Fields an update never changes. */
const SERVER_OWNED = new Set(['id', 'created', '_links']);

/**
 * The sandbox's backend (moto's models): the stored resources and the rules of each family
 * (rules/), knowing nothing of HTTP. It creates, reads, changes, removes and lists resources,
 * keeps every stored body valid for the spec, and records an event for each change. A refusal
 * is a SandboxError (errors.ts).
 */
export function createBackend(deps: BackendDeps) {
  const { store, model } = deps;
  const isoNow = () => new Date(deps.now()).toISOString();

  /** The given body fitted to the type's schema, with the server's fields. */
  function fit(type: string, parts: BodyParts): Record<string, unknown> {
    const at = model.itemSchemaAt(type);
    if (!at) return { ...parts.defaults, ...parts.given, ...parts.server };
    return fitBody(deps.doc, deps.checker, at, parts).body;
  }

  const events = createEvents({
    store,
    webhooks: deps.webhooks,
    origin: deps.origin,
    now: deps.now,
    fit,
    maxAttempts: deps.maxAttempts,
  });

  /** Stored resources this one relates to: its parent, what its links point at, their parents. */
  function relationsOf(parent: string | undefined, links: unknown): string[] {
    const out = new Set<string>(parent ? [parent] : []);
    for (const l of Object.values(isRecord(links) ? links : {})) {
      const target = isRecord(l) ? store.byHref(l.href) : undefined;
      if (!target) continue;
      out.add(`${target.type}/${target.id}`);
      for (const r of target.relations) out.add(r);
    }
    return [...out];
  }

  /** The resource with what its family shows of its state (links, embedded) set on its body. */
  function shown(resource: StoredResource): StoredResource {
    const shows = rulesOf(resource.type).shown?.(resource, context);
    if (!shows) return resource;
    const body = { ...resource.body };
    if (shows._links) body._links = shows._links;
    if ('_embedded' in shows) {
      if (shows._embedded === undefined) delete body._embedded;
      else body._embedded = shows._embedded;
    }
    return { ...resource, body };
  }

  function put(resource: StoredResource, topics: string[]): void {
    store.put(resource);
    for (const topic of topics) events.record(topic, resource);
  }

  /** Every family's `follow` rules, after a resource was stored. */
  function follow(before: StoredResource | undefined, after: StoredResource): void {
    for (const rules of FAMILIES) rules.follow?.(before, after, context);
  }

  const context: SandboxContext = {
    store,
    now: deps.now,
    origin: deps.origin,
    accountId: deps.accountId,
    get allowAnyHost() {
      return deps.webhooks.settings.allowAnyHost;
    },
    stores: (type) => model.itemSchemaAt(type) !== undefined,
    create(type, given, options = {}) {
      const id = randomUUID();
      const draft = { type, id, given, parent: options.parent, memo: options.memo };
      return storeNew(draft, `${deps.origin()}/${type}/${id}`);
    },
    change,
    event: (topic, resource, customer) => events.record(topic, resource, customer),
  };

  function create(request: NewResource): StoredResource {
    const draft: Draft = {
      type: request.type,
      id: request.id,
      given: request.given,
      parent: request.parent,
      files: request.files,
    };
    return rulesOf(draft.type).creating?.(draft, context) ?? storeNew(draft, request.href);
  }

  /** Stores a new resource from a draft, at `href`. */
  function storeNew(draft: Draft, href: string): StoredResource {
    const { type, id, given, parent } = draft;
    const rules = rulesOf(type);
    const links: Record<string, unknown> = { self: halLink(href, type) };
    // The request's links (a transfer's source and destination), as Dwolla answers links.
    for (const [name, value] of Object.entries(isRecord(given._links) ? given._links : {})) {
      if (!isRecord(value) || typeof value.href !== 'string') continue;
      const path = URL.canParse(value.href) ? new URL(value.href).pathname : '';
      links[name] = halLink(value.href, path.split('/')[1] || name);
    }
    if (parent)
      links[singular(parent.type)] = halLink(selfHref(parent, deps.origin()), parent.type);
    for (const list of model.nestedLists(type)) {
      links[list] = halLink(`${href}/${list}`, list);
    }
    links.self = halLink(href, type);
    const parentKey = parent ? `${parent.type}/${parent.id}` : undefined;
    const body = fit(type, {
      given,
      server: { id, created: isoNow(), _links: links },
      defaults: { ...DEFAULTS, ...rules.defaults },
      fill: ['status'],
    });
    const resource = shown({
      type,
      id,
      body,
      parent: parentKey,
      relations: relationsOf(parentKey, links),
      secret: draft.secret,
      memo: draft.memo,
      createdAt: deps.now(),
    });
    put(resource, rules.createdTopics?.(resource) ?? [createdTopic(resource)]);
    rules.created?.(resource, context);
    follow(undefined, store.get(type, id) ?? resource);
    return store.get(type, id) ?? resource;
  }

  /** The resource with `changes` merged into its body and refitted; the server's fields stay. */
  function change(found: StoredResource, given: Record<string, unknown>): StoredResource {
    const changes = Object.fromEntries(Object.entries(given).filter(([k]) => !SERVER_OWNED.has(k)));
    const server = { id: found.id, created: found.body.created, _links: found.body._links };
    const merged = { ...found.body, ...changes };
    // A new kind (an unverified customer upgraded to personal) may need another status.
    const { status: _, ...withoutStatus } = merged;
    const at = model.itemSchemaAt(found.type);
    let body = fit(found.type, { given: merged, server });
    if (at && deps.checker.check(at, body).length && !('status' in changes)) {
      body = fit(found.type, { given: withoutStatus, server });
    }
    const after = shown({ ...found, body });
    put(after, rulesOf(found.type).updatedTopics?.(found, after) ?? []);
    follow(found, after);
    return store.get(after.type, after.id) ?? after;
  }

  /**
   * What belongs to the account, for its lists: of a type customers also hold, those created at
   * the top level (`POST /funding-sources`: its funding sources); of another type, those that
   * relate to one of these or link to the account (transfers from or to its funding sources).
   */
  function ofAccount(type: string): (r: StoredResource) => boolean {
    const own = (r: StoredResource) => r.parent === undefined && model.createdUnderParent(r.type);
    if (model.createdUnderParent(type)) return own;
    const account = `${deps.origin()}/${ACCOUNTS}/${deps.accountId}`;
    return (r) =>
      r.relations.some((key) => {
        const related = store.get(...splitKey(key));
        return related !== undefined && own(related);
      }) ||
      Object.values(isRecord(r.body._links) ? r.body._links : {}).some(
        (l) => isRecord(l) && l.href === account,
      );
  }

  return {
    create,
    /** A stored resource; NotFoundError when there is none. */
    get(type: string, id: string): StoredResource {
      const found = store.get(type, id);
      if (!found) throw new NotFoundError();
      return found;
    },
    /** A stored item as a GET answers it, after its family's `reading` rule. */
    read(found: StoredResource): StoredResource {
      return rulesOf(found.type).reading?.(found, context) ?? found;
    },
    /** An update (a POST to an item): the body to answer. */
    update(found: StoredResource, given: unknown): Record<string, unknown> {
      const fields = isRecord(given) ? given : {};
      return rulesOf(found.type).updating?.(found, fields, context) ?? change(found, fields).body;
    },
    remove(found: StoredResource): void {
      store.remove(found.type, found.id);
    },
    /** Of a type, newest first: those that relate to `relatedTo` (`type/id`), or else all,
     * filtered by a list request's query (see `filter`). */
    list(type: string, query: URLSearchParams, relatedTo?: string): StoredResource[] {
      const items = store.list(type);
      return filter(
        relatedTo ? items.filter((r) => r.relations.includes(relatedTo)) : items,
        query,
      );
    },
    /** The account's items of a type (`GET /accounts/{id}/transfers`), filtered by the query. */
    listOfAccount(type: string, accountId: string, query: URLSearchParams): StoredResource[] {
      if (accountId !== deps.accountId) throw new NotFoundError();
      return filter(store.list(type).filter(ofAccount(type)), query);
    },
    /** `POST /sandbox-simulations`: with a `type`, the family's simulation of that type (the body
     * to answer, if it has its own); without, what each family does on a simulation. */
    simulate(request: unknown): Record<string, unknown> | undefined {
      const type = isRecord(request) ? request.type : undefined;
      if (type === undefined) {
        let total = 0;
        for (const rules of FAMILIES) total += rules.simulate?.(context) ?? 0;
        const self = halLink(`${deps.origin()}${SIMULATIONS_PATH}`, 'sandbox-simulations');
        return { _links: { self }, total };
      }
      const known = FAMILIES.flatMap((rules) => Object.keys(rules.simulations ?? {}));
      const simulation = FAMILIES.find((rules) => rules.simulations?.[String(type)])?.simulations?.[
        String(type)
      ];
      if (!simulation || !isRecord(request)) {
        throw new ValidationError([
          {
            code: 'Invalid',
            message: `Unknown simulation type; send none (process bank transfers) or one of: ${known.join(', ')}.`,
            path: '/type',
          },
        ]);
      }
      return simulation(request, context);
    },
    /** An operation under a stored item (see ItemCall): the body its family answers, or
     * undefined for the spec's sample. */
    under(call: ItemCall): Record<string, unknown> | undefined {
      return rulesOf(call.item.type).under?.(call, context);
    },
    /** What a new or reset sandbox holds (the account's funding sources): adds what is missing. */
    seed(): void {
      for (const rules of FAMILIES) rules.seed?.(context);
    },
    /** `POST /webhooks/{id}/retries`: the retry recorded (NotFoundError when its subscription or
     * event is gone). */
    retryWebhook(webhook: StoredResource): StoredResource {
      const retry = events.retry(webhook);
      if (!retry) throw new NotFoundError();
      return retry;
    },
  };
}

export type Backend = ReturnType<typeof createBackend>;

/**
 * Filters a list by its query parameters as Dwolla does: `search` matches any text field
 * (case-insensitively), other parameters an equal top-level field (`status=verified`); a
 * parameter no item has as a field (`limit`, `offset`) does not filter.
 */
function filter(items: StoredResource[], query: URLSearchParams): StoredResource[] {
  let out = items;
  for (const [name, value] of query) {
    if (name === 'limit' || name === 'offset') continue;
    if (name === 'search') {
      const needle = value.toLowerCase();
      out = out.filter((r) =>
        Object.values(r.body).some(
          (v) => typeof v === 'string' && v.toLowerCase().includes(needle),
        ),
      );
    } else if (out.some((r) => name in r.body)) {
      out = out.filter((r) => String(r.body[name]) === value);
    }
  }
  return out;
}
