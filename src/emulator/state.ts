import { randomUUID } from 'node:crypto';
import { createdTopic, singular, updatedTopics } from './events.js';
import { fitBody } from './fit-body.js';
import type { OpenApiDocument } from './load-spec.js';
import type { Operation } from './operations.js';
import { paginate } from './pagination.js';
import { dwollaError, HAL_JSON, notFound, type Reply } from './replies.js';
import { createdLocation } from './respond.js';
import { defaultSuccessStatus } from './success-status.js';
import {
  ACCOUNTS,
  EVENTS,
  RETRIES,
  SUBSCRIPTIONS,
  successBody,
  WEBHOOKS,
  type ResourceModel,
  type Role,
} from './resource-model.js';
import type { SchemaChecker } from './schemas.js';
import { isRecord } from './spec-pointer.js';
import type { Store, StoredResource } from './store.js';
import { isLoopback, type Attempt, type WebhookSender } from './webhooks.js';

export type StateDeps = {
  doc: OpenApiDocument;
  checker: SchemaChecker;
  model: ResourceModel;
  store: Store;
  webhooks: WebhookSender;
  /** Every path template of the spec (to place created resources). */
  paths: string[];
  origin: () => string;
  now: () => number;
  /** The id of the account the emulator's tokens act for (`/accounts/<accountId>`). */
  accountId: string;
};

export type StateRequest = {
  operation: Operation;
  params: Record<string, string>;
  url: URL;
  /** The parsed, validated body (undefined when there is none). */
  body: unknown;
};

/** Dwolla statuses a new resource starts in, where the spec allows any string. */
const INITIAL_STATUS: Record<string, string> = { transfers: 'pending', 'mass-payments': 'pending' };
/** Values Dwolla gives fields the client does not set. */
const DEFAULTS = { removed: false, paused: false };
/** Fields an update never changes. */
const SERVER_OWNED = new Set(['id', 'created', '_links']);
/** Dwolla's sandbox fails a bank transfer whose funding source is named for an ACH return code. */
const RETURN_CODE = /^R\d{2}$/;
/** Pending transfers one simulation processes (as Dwolla: the last 500). */
const SIMULATED = 500;

/**
 * The emulator's state: what the spec's collections hold. Answers the operations that create,
 * read, update, remove and list resources from the store, records an event for each change and
 * has the webhook sender deliver it. Other operations fall through (undefined) to the sample.
 */
export function createState(deps: StateDeps) {
  const { store, model } = deps;
  const link = (href: string, type: string) => ({
    href,
    type: HAL_JSON,
    'resource-type': singular(type),
  });
  const hrefOf = (r: StoredResource) =>
    ((r.body._links as Record<string, { href: string }> | undefined)?.self?.href ??
      `${deps.origin()}/${r.type}/${r.id}`) as string;
  const isoNow = () => new Date(deps.now()).toISOString();

  /** The given body fitted to the type's schema, with the server's fields. */
  function fit(type: string, parts: Parameters<typeof fitBody>[3]) {
    const at = model.itemSchemaAt(type);
    if (!at) return { ...parts.defaults, ...parts.given, ...parts.server };
    return fitBody(deps.doc, deps.checker, at, parts).body;
  }

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

  function put(resource: StoredResource, topics: string[]): void {
    store.put(resource);
    for (const topic of topics) recordEvent(topic, resource);
  }

  function recordEvent(topic: string, resource: StoredResource): void {
    const id = randomUUID();
    const href = `${deps.origin()}/${EVENTS}/${id}`;
    const customer = resource.relations.find((r) => r.startsWith('customers/'));
    const links: Record<string, unknown> = {
      self: link(href, EVENTS),
      resource: link(hrefOf(resource), resource.type),
    };
    if (customer) links.customer = link(`${deps.origin()}/${customer}`, 'customers');
    const body = fit(EVENTS, {
      given: {},
      server: { _links: links, id, created: isoNow(), topic, resourceId: resource.id },
    });
    const event: StoredResource = {
      type: EVENTS,
      id,
      body,
      relations: [`${resource.type}/${resource.id}`, ...resource.relations],
      createdAt: deps.now(),
    };
    store.put(event);
    for (const subscription of store.list(SUBSCRIPTIONS)) {
      if (subscription.body.paused === true || !subscription.secret) continue;
      deliver(event, topic, subscription);
    }
  }

  function deliver(event: StoredResource, topic: string, subscription: StoredResource): void {
    const id = randomUUID();
    const self = `${deps.origin()}/${WEBHOOKS}/${id}`;
    const parent = `${SUBSCRIPTIONS}/${subscription.id}`;
    const attempts: Attempt[] = [];
    const body = fit(WEBHOOKS, {
      given: {},
      server: {
        _links: {
          self: link(self, WEBHOOKS),
          subscription: link(hrefOf(subscription), SUBSCRIPTIONS),
          event: link(hrefOf(event), EVENTS),
        },
        id,
        topic,
        eventId: event.id,
        subscriptionId: subscription.id,
        attempts,
      },
    });
    const webhook: StoredResource = {
      type: WEBHOOKS,
      id,
      body,
      parent,
      relations: [parent, `${EVENTS}/${event.id}`],
      createdAt: deps.now(),
    };
    store.put(webhook);
    send(webhook, event, subscription, topic);
  }

  /** Sends the webhook's event to its subscription, recording each attempt (newest first). */
  function send(
    webhook: StoredResource,
    event: StoredResource,
    subscription: StoredResource,
    topic: string,
  ): void {
    deps.webhooks.send({
      url: String(subscription.body.url),
      secret: subscription.secret!,
      topic,
      body: JSON.stringify(event.body),
      onAttempt: (attempt) => {
        // Newest first, as Dwolla lists them.
        if (Array.isArray(webhook.body.attempts)) webhook.body.attempts.unshift(attempt);
      },
    });
  }

  /** POST /webhooks/{id}/retries: a retry is recorded and the event delivered again. */
  function retry(request: StateRequest, webhook: StoredResource): Reply {
    const [type, id] = splitKey(webhook.parent);
    const subscription = store.get(type, id);
    const event = store.get(...splitKey(webhook.relations.find((r) => r.startsWith(`${EVENTS}/`))));
    if (!subscription?.secret || !event) return notFound();
    const retryId = randomUUID();
    const webhookHref = hrefOf(webhook);
    const parent = `${WEBHOOKS}/${webhook.id}`;
    const body = fit(RETRIES, {
      given: {},
      server: {
        _links: {
          self: link(`${webhookHref}/${RETRIES}/${retryId}`, RETRIES),
          webhook: link(webhookHref, WEBHOOKS),
        },
        id: retryId,
        timestamp: isoNow(),
      },
    });
    store.put({
      type: RETRIES,
      id: retryId,
      body,
      parent,
      relations: [parent],
      createdAt: deps.now(),
    });
    send(webhook, event, subscription, String(webhook.body.topic ?? event.body.topic));
    // Where the spec lets you GET it: the webhook's list of retries.
    const location = createdLocation(request.operation, request.url.pathname, deps.paths);
    return { status: 201, headers: { location: deps.origin() + location }, body: '' };
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

  function answer(operation: Operation, body?: Record<string, unknown>): Reply {
    const key = defaultSuccessStatus(operation);
    const status = key && /^2\d\d$/.test(key) ? Number(key) : 200;
    const declared = successBody(deps.doc, operation);
    if (!declared || body === undefined) return { status, headers: {}, body: '' };
    return { status, headers: { 'content-type': declared.mediaType }, body };
  }

  function create(
    role: Extract<Role, { kind: 'create' }>,
    request: StateRequest,
    parent: StoredResource | undefined,
  ): Reply | undefined {
    const given = isRecord(request.body) ? request.body : {};
    if (role.type === SUBSCRIPTIONS && !deps.webhooks.settings.allowAnyHost) {
      if (!isLoopback(String(given.url))) {
        return dwollaError(400, 'ValidationError', 'Validation error(s) present.', {
          _embedded: {
            errors: [
              {
                code: 'Invalid',
                message:
                  'url must be a loopback address (127.0.0.0/8, [::1], localhost): the emulator delivers only there unless started with webhooks.allowAnyHost.',
                path: '/url',
                _links: {},
              },
            ],
          },
        });
      }
    }
    const location = createdLocation(request.operation, request.url.pathname, deps.paths);
    // Nothing new to read back (micro-deposits are read where they were posted): the sample.
    if (location === request.url.pathname.replace(/\/+$/, '')) return undefined;
    const id = location.split('/').pop()!;
    const href = deps.origin() + location;
    const links: Record<string, unknown> = { self: link(href, role.type) };
    // The request's links (a transfer's source and destination), as Dwolla answers links.
    for (const [name, value] of Object.entries(isRecord(given._links) ? given._links : {})) {
      if (!isRecord(value) || typeof value.href !== 'string') continue;
      const path = URL.canParse(value.href) ? new URL(value.href).pathname : '';
      links[name] = link(value.href, path.split('/')[1] || name);
    }
    if (parent) links[singular(parent.type)] = link(hrefOf(parent), parent.type);
    for (const list of model.nestedLists(role.type)) links[list] = link(`${href}/${list}`, list);
    links.self = link(href, role.type);
    const parentKey = parent ? `${parent.type}/${parent.id}` : undefined;
    const body = fit(role.type, {
      given,
      server: { id, created: isoNow(), _links: links },
      defaults: { ...DEFAULTS, status: INITIAL_STATUS[role.type] },
      fill: ['status'],
    });
    const resource: StoredResource = {
      type: role.type,
      id,
      body,
      parent: parentKey,
      relations: relationsOf(parentKey, links),
      secret: role.type === SUBSCRIPTIONS ? String(given.secret ?? '') : undefined,
      createdAt: deps.now(),
    };
    const topic = createdTopic(resource);
    put(resource, topic ? [topic] : []);
    return { status: 201, headers: { location: href }, body: '' };
  }

  function update(operation: Operation, found: StoredResource, given: unknown): Reply {
    const changes = Object.fromEntries(
      Object.entries(isRecord(given) ? given : {}).filter(([k]) => !SERVER_OWNED.has(k)),
    );
    const server = { id: found.id, created: found.body.created, _links: found.body._links };
    const merged = { ...found.body, ...changes };
    // A new kind (an unverified customer upgraded to personal) may need another status.
    const { status: _, ...withoutStatus } = merged;
    const at = model.itemSchemaAt(found.type);
    let body = fit(found.type, { given: merged, server });
    if (at && deps.checker.check(at, body).length && !('status' in changes)) {
      body = fit(found.type, { given: withoutStatus, server });
    }
    const after: StoredResource = { ...found, body };
    put(after, updatedTopics(found, after));
    return answer(operation, body);
  }

  function list(
    role: Extract<Role, { kind: 'list' | 'account-list' }>,
    request: StateRequest,
    keep: (r: StoredResource) => boolean = () => true,
  ) {
    const items = store.list(role.type).filter(keep);
    const page = paginate(filter(items, request.url.searchParams), request.url, deps.origin());
    return answer(request.operation, {
      _links: page.links,
      _embedded: { [role.embedded]: page.items.map((r) => r.body) },
      total: page.total,
    });
  }

  function simulate(): void {
    const pending = store
      .list('transfers')
      .filter((t) => t.body.status === 'pending')
      .slice(0, SIMULATED);
    for (const transfer of pending.reverse()) {
      const links = isRecord(transfer.body._links) ? transfer.body._links : {};
      const fails = Object.values(links).some((l) => {
        const name = isRecord(l) ? store.byHref(l.href)?.body.name : undefined;
        return typeof name === 'string' && RETURN_CODE.test(name);
      });
      const body = { ...transfer.body, status: fails ? 'failed' : 'processed' };
      const after: StoredResource = { ...transfer, body };
      put(after, updatedTopics(transfer, after));
    }
  }

  return {
    /** The answer from state, or undefined when the operation does not touch state. */
    reply(request: StateRequest): Reply | undefined {
      const role = model.roleOf(request.operation);
      if (!role) return undefined;
      if (role.kind === 'simulate') {
        simulate();
        return undefined;
      }
      if (role.kind === 'account-list') {
        if (request.params[role.param] !== deps.accountId) return notFound();
        return list(role, request, ofAccount(role.type));
      }
      let parent: StoredResource | undefined;
      if ('parent' in role && role.parent) {
        parent = store.get(role.parent.type, request.params[role.parent.param] ?? '');
        if (!parent) return notFound();
      }
      if (role.kind === 'create' && role.type === RETRIES && parent?.type === WEBHOOKS) {
        return retry(request, parent);
      }
      if (role.kind === 'create') return create(role, request, parent);
      if (role.kind === 'list') {
        const key = parent && `${parent.type}/${parent.id}`;
        return list(role, request, key ? (r) => r.relations.includes(key) : undefined);
      }
      const found = store.get(role.type, request.params[role.param] ?? '');
      if (!found) return notFound();
      if (role.kind === 'get') return answer(request.operation, found.body);
      if (role.kind === 'update') return update(request.operation, found, request.body);
      if (role.kind === 'remove') {
        store.remove(found.type, found.id);
        return answer(request.operation, found.body);
      }
      return undefined; // under an item that exists: the sample answers
    },
  };
}

export type State = ReturnType<typeof createState>;

/** `type/id` (a parent or relation key) as [type, id]. */
function splitKey(key: string | undefined): [string, string] {
  const at = (key ?? '').indexOf('/');
  return at < 0 ? ['', ''] : [key!.slice(0, at), key!.slice(at + 1)];
}

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
