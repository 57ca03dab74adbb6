import { randomUUID } from 'node:crypto';
import { halLink } from '../answer/resource-links.js';
import type { BodyParts } from '../answer/fit-body.js';
import { EVENTS, RETRIES, SUBSCRIPTIONS, WEBHOOKS } from '../sandbox/resource-model.js';
import { selfHref, splitKey, type Store, type StoredResource } from '../sandbox/store.js';
import { isRecord } from '../spec/spec-pointer.js';
import type { Attempt, WebhookSender } from './webhooks.js';

export type EventDeps = {
  store: Store;
  webhooks: Pick<WebhookSender, 'send'>;
  origin: () => string;
  now: () => number;
  /** A body for a stored type, fitted to its schema (see fit-body.ts). */
  fit: (type: string, parts: BodyParts) => Record<string, unknown>;
  /** Delivery attempts kept, all webhooks together (the oldest dropped past it). */
  maxAttempts: number;
};

/**
 * Events and their webhooks: each change the sandbox makes is recorded as an event (listed by
 * `GET /events`) and stored as a webhook for every subscription, with its attempts (newest
 * first, at most `maxAttempts` kept in all). A paused subscription's webhooks are stored but not
 * sent, as Dwolla does (and not sent when it is unpaused: `POST /webhooks/{id}/retries` sends
 * one); a delivery stops when its subscription is paused or removed, or its webhook dropped.
 */
export function createEvents(deps: EventDeps) {
  const { store } = deps;
  const href = (r: StoredResource) => selfHref(r, deps.origin());
  const isoNow = () => new Date(deps.now()).toISOString();
  /** Every attempt kept, oldest first: its id, and its webhook's. */
  const attemptsKept = new Map<string, string>();

  /** Keeps an attempt in its webhook's list (newest first), dropping the oldest past the cap. */
  function keepAttempt(webhook: StoredResource, attempt: Attempt): void {
    if (!Array.isArray(webhook.body.attempts)) return;
    webhook.body.attempts.unshift(attempt);
    attemptsKept.set(attempt.id, webhook.id);
    for (const [attemptId, webhookId] of attemptsKept) {
      if (attemptsKept.size <= deps.maxAttempts) break;
      attemptsKept.delete(attemptId);
      const attempts = store.get(WEBHOOKS, webhookId)?.body.attempts;
      if (!Array.isArray(attempts)) continue;
      const at = attempts.findLastIndex((a) => isRecord(a) && a.id === attemptId);
      if (at >= 0) attempts.splice(at, 1);
    }
  }

  /** Records an event about `resource`; `about` (`customers/<id>`) is the customer it is about,
   * null for none; by default the resource's first related customer. */
  function record(topic: string, resource: StoredResource, about?: string | null): void {
    const id = randomUUID();
    const customer =
      about === undefined ? resource.relations.find((r) => r.startsWith('customers/')) : about;
    const links: Record<string, unknown> = {
      self: halLink(`${deps.origin()}/${EVENTS}/${id}`, EVENTS),
      resource: halLink(href(resource), resource.type),
    };
    if (customer) links.customer = halLink(`${deps.origin()}/${customer}`, 'customers');
    const body = deps.fit(EVENTS, {
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
      if (subscription.secret) deliver(event, topic, subscription);
    }
  }

  function deliver(event: StoredResource, topic: string, subscription: StoredResource): void {
    const id = randomUUID();
    const parent = `${SUBSCRIPTIONS}/${subscription.id}`;
    const attempts: Attempt[] = [];
    const body = deps.fit(WEBHOOKS, {
      given: {},
      server: {
        _links: {
          self: halLink(`${deps.origin()}/${WEBHOOKS}/${id}`, WEBHOOKS),
          subscription: halLink(href(subscription), SUBSCRIPTIONS),
          event: halLink(href(event), EVENTS),
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
    if (subscription.body.paused !== true) send(webhook, event, subscription, topic);
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
      active() {
        const now = store.get(SUBSCRIPTIONS, subscription.id);
        return (
          now !== undefined &&
          now.body.paused !== true &&
          store.get(WEBHOOKS, webhook.id) === webhook
        );
      },
      onAttempt: (attempt) => keepAttempt(webhook, attempt),
    });
  }

  /** A retry of a webhook, recorded, and its event delivered again; undefined when its
   * subscription or event is gone. */
  function retry(webhook: StoredResource): StoredResource | undefined {
    const subscription = store.get(...splitKey(webhook.parent));
    const event = store.get(...splitKey(webhook.relations.find((r) => r.startsWith(`${EVENTS}/`))));
    if (!subscription?.secret || !event) return undefined;
    const id = randomUUID();
    const webhookHref = href(webhook);
    const parent = `${WEBHOOKS}/${webhook.id}`;
    const body = deps.fit(RETRIES, {
      given: {},
      server: {
        _links: {
          self: halLink(`${webhookHref}/${RETRIES}/${id}`, RETRIES),
          webhook: halLink(webhookHref, WEBHOOKS),
        },
        id,
        timestamp: isoNow(),
      },
    });
    const stored: StoredResource = {
      type: RETRIES,
      id,
      body,
      parent,
      relations: [parent],
      createdAt: deps.now(),
    };
    store.put(stored);
    send(webhook, event, subscription, String(webhook.body.topic ?? event.body.topic));
    return stored;
  }

  return { record, retry };
}

export type Events = ReturnType<typeof createEvents>;
