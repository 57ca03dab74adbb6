import { createdLocation } from '../answer/respond.js';
import { defaultSuccessStatus } from '../answer/success-status.js';
import type { UploadedFile } from '../check/request-body.js';
import type { Delivery } from '../events/webhooks.js';
import type { Reply } from '../http/replies.js';
import type { Operation } from '../spec/operations.js';
import { isRecord } from '../spec/spec-pointer.js';
import { createBackend, type BackendDeps } from './backend.js';
import { SandboxError } from './errors.js';
import { paginate } from './pagination.js';
import { RETRIES, successBody, WEBHOOKS, type Role } from './resource-model.js';
import { selfHref, type StoredResource } from './store.js';

export type StateDeps = BackendDeps & {
  /** Every path template of the spec with a GET (to place created resources). */
  paths: string[];
};

export type StateRequest = {
  operation: Operation;
  params: Record<string, string>;
  url: URL;
  /** The parsed, validated body (undefined when there is none). */
  body: unknown;
  /** A multipart body's file parts by field name. */
  files?: Record<string, UploadedFile>;
};

/**
 * The sandbox's answers (moto's responses): reads what a request asks of the backend from the
 * operation's role in the resource model (resource-model.ts), calls the backend, and renders
 * what it returns, or the SandboxError it throws, as Dwolla answers. Operations that do not
 * touch state fall through (undefined) to the sample.
 */
export function createState(deps: StateDeps) {
  /** Webhooks of the request being answered, sent once what it changed is kept. */
  const outbox: Delivery[] = [];
  const backend = createBackend({
    ...deps,
    webhooks: { settings: deps.webhooks.settings, send: (delivery) => outbox.push(delivery) },
  });

  /**
   * Runs a reply as one transaction of the store. A reply run while validators it needs are
   * still being compiled elsewhere (`checker.guessing()`: see compile-ahead.ts) saw guesses: what
   * it changed is undone and its webhooks are not sent (compile-ahead runs it again). Otherwise
   * it is kept, and its webhooks go, so that each request's reply takes effect once.
   */
  function atomically(run: () => Reply | undefined): Reply | undefined {
    const transaction = deps.store.begin();
    let value: Reply | undefined;
    try {
      value = run();
    } catch (error) {
      transaction.rollback();
      outbox.length = 0;
      throw error;
    }
    if (deps.checker.guessing()) {
      transaction.rollback();
      outbox.length = 0;
    } else {
      transaction.commit();
      send();
    }
    return value;
  }

  /** Sends the webhooks of what was kept. */
  function send(): void {
    for (const delivery of outbox.splice(0)) deps.webhooks.send(delivery);
  }

  /** The operation's default success answer, with a body where its spec declares one. */
  function answer(operation: Operation, body?: Record<string, unknown>): Reply {
    const key = defaultSuccessStatus(operation);
    const status = key && /^2\d\d$/.test(key) ? Number(key) : 200;
    const declared = successBody(deps.doc, operation);
    if (!declared || body === undefined) return { status, headers: {}, body: '' };
    return { status, headers: { 'content-type': declared.mediaType }, body };
  }

  function created(request: StateRequest): Reply {
    const location = createdLocation(request.operation, request.url.pathname, deps.paths);
    return { status: 201, headers: { location: deps.origin() + location }, body: '' };
  }

  function list(request: StateRequest, embedded: string, items: StoredResource[]): Reply {
    const page = paginate(items, request.url, deps.origin());
    return answer(request.operation, {
      _links: page.links,
      _embedded: { [embedded]: page.items.map((r) => r.body) },
      total: page.total,
    });
  }

  function create(
    role: Extract<Role, { kind: 'create' }>,
    request: StateRequest,
    parent: StoredResource | undefined,
  ): Reply | undefined {
    if (role.type === RETRIES && parent?.type === WEBHOOKS) {
      backend.retryWebhook(parent);
      // Where the spec lets you GET it: the webhook's list of retries.
      return created(request);
    }
    const location = createdLocation(request.operation, request.url.pathname, deps.paths);
    // Nothing new to read back (micro-deposits are read where they were posted): an operation
    // under the parent.
    if (location === request.url.pathname.replace(/\/+$/, '')) {
      return parent && under(request, parent);
    }
    const href = deps.origin() + location;
    const stored = backend.create({
      type: role.type,
      id: location.split('/').pop()!,
      href,
      given: isRecord(request.body) ? request.body : {},
      parent,
      files: request.files,
    });
    // A rule may answer with a resource that was already there (a removed bank added again).
    return { status: 201, headers: { location: selfHref(stored, deps.origin()) }, body: '' };
  }

  /** An operation under a stored item: its family's answer, or the sample (undefined). */
  function under(request: StateRequest, item: StoredResource): Reply | undefined {
    const body = backend.under({
      item,
      name: request.operation.path.split('/').slice(3).join('/'),
      method: request.operation.method,
      body: request.body,
      href: deps.origin() + request.url.pathname,
    });
    return body && answer(request.operation, body);
  }

  function reply(request: StateRequest, role: Role): Reply | undefined {
    const { operation, params, url } = request;
    if (role.kind === 'simulate') {
      const body = backend.simulate(request.body);
      return body && answer(operation, body);
    }
    if (role.kind === 'account-list') {
      const items = backend.listOfAccount(role.type, params[role.param] ?? '', url.searchParams);
      return list(request, role.embedded, items);
    }
    const parent =
      'parent' in role && role.parent
        ? backend.get(role.parent.type, params[role.parent.param] ?? '')
        : undefined;
    if (role.kind === 'create') return create(role, request, parent);
    if (role.kind === 'list') {
      const related = parent && `${parent.type}/${parent.id}`;
      return list(request, role.embedded, backend.list(role.type, url.searchParams, related));
    }
    const found = backend.get(role.type, params[role.param] ?? '');
    if (role.kind === 'get') return answer(operation, backend.read(found).body);
    if (role.kind === 'update') return answer(operation, backend.update(found, request.body));
    if (role.kind === 'remove') {
      backend.remove(found);
      return answer(operation, found.body);
    }
    return under(request, found);
  }

  return {
    /** Adds what a new or reset sandbox holds and is missing (the account's funding sources). */
    seed(): void {
      backend.seed();
      send();
    },
    /** The answer from state, or undefined when the operation does not touch state. Run it
     * under `prepared` (compile-ahead.ts); synchronous, so that nothing else changes the store
     * while it runs. */
    reply(request: StateRequest): Reply | undefined {
      const role = deps.model.roleOf(request.operation);
      if (!role) return undefined;
      return atomically(() => {
        try {
          return reply(request, role);
        } catch (error) {
          if (error instanceof SandboxError) return error.reply();
          throw error;
        }
      });
    },
  };
}

export type State = ReturnType<typeof createState>;
