import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordedRequest } from '../http/stats.js';
import type { Attempt } from '../events/webhooks.js';
import { EVENTS, SUBSCRIPTIONS, WEBHOOKS } from '../sandbox/resource-model.js';
import { splitKey, type Store, type StoredResource } from '../sandbox/store.js';
import { balanceOf, centsIn, fromCents } from '../sandbox/rules/balances.js';
import { failureCodeOf } from '../sandbox/rules/legs.js';
import { isRecord } from '../spec/spec-pointer.js';

/** Rows shown per table (newest first); the table says how many there are in all. */
export const ROWS_SHOWN = 100;
/** Requests of the log shown (newest first). */
export const REQUESTS_SHOWN = 50;

const CUSTOMERS = 'customers';
const FUNDING_SOURCES = 'funding-sources';
const TRANSFERS = 'transfers';

/** A link to another row of the page: the row's anchor and what the link says. */
export type Ref = { anchor: string; label: string };

export type Table<Row> = { rows: Row[]; total: number };

export type CustomerRow = {
  anchor: string;
  id: string;
  name: string;
  type: string;
  status: string;
  created: string;
};
export type FundingSourceRow = {
  anchor: string;
  id: string;
  name: string;
  type: string;
  status: string;
  removed: boolean;
  /** Its customer; none for the account's own funding sources. */
  customer?: Ref;
  created: string;
};
export type TransferRow = {
  anchor: string;
  id: string;
  amount: string;
  status: string;
  source?: Ref;
  sourceCustomer?: Ref;
  destination?: Ref;
  destinationCustomer?: Ref;
  failureCode?: string;
  created: string;
};
export type EventRow = {
  anchor: string;
  id: string;
  topic: string;
  /** The resource it is about: a row of the page, or its type and id when not shown. */
  resource: Ref;
  customer?: Ref;
  created: string;
};
export type SubscriptionRow = {
  anchor: string;
  id: string;
  url: string;
  paused: boolean;
  created: string;
};
export type DeliveryRow = {
  anchor: string;
  id: string;
  topic: string;
  event?: Ref;
  subscription?: Ref;
  /** The last attempt's answer (0: no answer, a network error or timeout). */
  statusCode?: number;
  attempts: number;
  /** Whether the last attempt's X-Request-Signature-SHA-256 matches the subscription's
   * secret; undefined when there is nothing to check (no attempt yet, or no subscription). */
  signatureVerified?: boolean;
  created: string;
};
export type RequestRow = {
  time: string;
  method: string;
  path: string;
  status?: number;
  operationId?: string;
  body: string;
  responseBody: string;
};

export type DashboardView = {
  /** False when the emulator keeps no state (`state: false`): only the request log. */
  stateful: boolean;
  /** The account's balance, when the sandbox keeps one. */
  balance?: string;
  customers: Table<CustomerRow>;
  fundingSources: Table<FundingSourceRow>;
  transfers: Table<TransferRow>;
  events: Table<EventRow>;
  subscriptions: Table<SubscriptionRow>;
  deliveries: Table<DeliveryRow>;
  requests: Table<RequestRow>;
};

export type ViewSource = {
  /** The sandbox's resources (undefined when stateless), read only. */
  store?: Pick<Store, 'list' | 'get' | 'byHref'>;
  /** The request log's last requests, oldest first. */
  recent(count: number): readonly Readonly<RecordedRequest>[];
};

/** The anchor of a resource's row: `<type>-<id>`. */
export const anchorOf = (r: { type: string; id: string }) => `${r.type}-${r.id}`;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** A customer's name as Dwolla's dashboard shows it: the business, else the person. */
function customerName(c: StoredResource): string {
  const person = [text(c.body.firstName), text(c.body.lastName)].filter(Boolean).join(' ');
  return text(c.body.businessName) || person || c.id;
}

/** A transfer's amount: `25.00 USD`. */
function amountOf(t: StoredResource): string {
  const amount = isRecord(t.body.amount) ? t.body.amount : {};
  return [text(amount.value), text(amount.currency)].filter(Boolean).join(' ');
}

/** A label for any stored resource a link may point at. */
function labelOf(r: StoredResource): string {
  if (r.type === CUSTOMERS) return customerName(r);
  if (r.type === TRANSFERS) return `transfer of ${amountOf(r)}`;
  return text(r.body.name) || text(r.body.topic) || `${r.type} ${r.id}`;
}

const refTo = (r: StoredResource): Ref => ({ anchor: anchorOf(r), label: labelOf(r) });

function table<Row>(items: StoredResource[], row: (r: StoredResource) => Row): Table<Row> {
  return { rows: items.slice(0, ROWS_SHOWN).map(row), total: items.length };
}

/** Signature checks already made, by attempt (an attempt never changes once recorded). */
const verified = new WeakMap<object, boolean>();

/** Whether an attempt's X-Request-Signature-SHA-256 is hex(HMAC-SHA256(secret, its body)), as a
 * receiver checks it. */
function signatureOf(attempt: Attempt, secret: string): boolean {
  const known = verified.get(attempt);
  if (known !== undefined) return known;
  const header = attempt.request.headers.find(
    (h) => h.name.toLowerCase() === 'x-request-signature-sha-256',
  )?.value;
  const expected = createHmac('sha256', secret).update(attempt.request.body).digest();
  const ok =
    /^[0-9a-f]{64}$/i.test(header ?? '') && timingSafeEqual(Buffer.from(header!, 'hex'), expected);
  verified.set(attempt, ok);
  return ok;
}

/** What the dashboard shows, read from the sandbox's store and the request log. */
export function readView(source: ViewSource): DashboardView {
  const { store } = source;
  const list = (type: string) => store?.list(type) ?? [];
  const linked = (r: StoredResource, name: string) => {
    const links = isRecord(r.body._links) ? r.body._links : {};
    const link = links[name];
    return isRecord(link) ? store?.byHref(link.href) : undefined;
  };
  const parentOf = (r: StoredResource | undefined) =>
    r?.parent ? store?.get(...splitKey(r.parent)) : undefined;
  const ref = (r: StoredResource | undefined) => (r ? refTo(r) : undefined);
  const created = (r: StoredResource) => text(r.body.created);

  const deliveries = list(WEBHOOKS);
  const deliveryRows = deliveries.slice(0, ROWS_SHOWN).map((w): DeliveryRow => {
    const attempts = Array.isArray(w.body.attempts) ? (w.body.attempts as Attempt[]) : [];
    const last = attempts[0];
    const subscription = parentOf(w);
    return {
      anchor: anchorOf(w),
      id: w.id,
      topic: text(w.body.topic),
      event: ref(linked(w, 'event')),
      subscription: subscription && { anchor: anchorOf(subscription), label: subscription.id },
      statusCode: last?.response.statusCode,
      attempts: attempts.length,
      signatureVerified:
        last && subscription?.secret ? signatureOf(last, subscription.secret) : undefined,
      created: last?.request.timestamp ?? new Date(w.createdAt).toISOString(),
    };
  });

  const recent = source.recent(REQUESTS_SHOWN);
  const account = store && balanceOf({ store }, null);
  return {
    stateful: store !== undefined,
    customers: table(list(CUSTOMERS), (c) => ({
      anchor: anchorOf(c),
      id: c.id,
      name: customerName(c),
      type: text(c.body.type),
      status: text(c.body.status),
      created: created(c),
    })),
    fundingSources: table(list(FUNDING_SOURCES), (f) => ({
      anchor: anchorOf(f),
      id: f.id,
      name: text(f.body.name),
      type: text(f.body.type),
      status: text(f.body.status),
      removed: f.body.removed === true,
      customer: ref(parentOf(f)),
      created: created(f),
    })),
    transfers: table(list(TRANSFERS), (t) => {
      // `source`/`destination` name the parties; these, their funding sources.
      const source = linked(t, 'source-funding-source') ?? linked(t, 'source');
      const destination = linked(t, 'destination-funding-source') ?? linked(t, 'destination');
      return {
        anchor: anchorOf(t),
        id: t.id,
        amount: amountOf(t),
        status: text(t.body.status),
        source: ref(source),
        sourceCustomer: ref(parentOf(source)),
        destination: ref(destination),
        destinationCustomer: ref(parentOf(destination)),
        failureCode: failureCodeOf(t),
        created: created(t),
      };
    }),
    events: table(list(EVENTS), (e) => {
      const resource = linked(e, 'resource');
      const [type, id] = splitKey(e.relations[0]);
      return {
        anchor: anchorOf(e),
        id: e.id,
        topic: text(e.body.topic),
        resource: resource ? refTo(resource) : { anchor: anchorOf({ type, id }), label: id },
        customer: ref(linked(e, 'customer')),
        created: created(e),
      };
    }),
    subscriptions: table(list(SUBSCRIPTIONS), (s) => ({
      anchor: anchorOf(s),
      id: s.id,
      url: text(s.body.url),
      paused: s.body.paused === true,
      created: created(s),
    })),
    deliveries: { rows: deliveryRows, total: deliveries.length },
    balance: account && `${fromCents(centsIn(account))} USD`,
    requests: {
      rows: [...recent].reverse().map((r) => ({
        time: r.time,
        method: r.method,
        path: r.query ? `${r.path}?${r.query}` : r.path,
        status: r.response?.status,
        operationId: r.operationId,
        body: r.body,
        responseBody: r.response?.body ?? '',
      })),
      total: recent.length,
    },
  };
}
