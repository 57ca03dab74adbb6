import type { UploadedFile } from '../check/request-body.js';
import type { Store, StoredResource } from './store.js';

/** A resource about to be created: what its family's `creating` rule may refuse or adjust. */
export type Draft = {
  type: string;
  id: string;
  /** The request's fields (validated against the spec); a rule may change them. */
  given: Record<string, unknown>;
  /** The stored resource it is created under (a customer, for its funding sources). */
  parent?: StoredResource;
  /** What the API never answers but the sandbox keeps (a webhook subscription's secret). */
  secret?: string;
  /** What the family's rules remember about it (see StoredResource.memo). */
  memo?: Record<string, unknown>;
  /** A multipart request's file parts by field name (a document's `file`). */
  files?: Record<string, UploadedFile>;
};

/** What the server shows of a resource's state besides its fields (see FamilyRules.shown). */
export type Shown = {
  /** The links it carries now (all of them: those not returned are dropped). */
  _links?: Record<string, unknown>;
  /** Embedded resources (verification directives); undefined removes them. */
  _embedded?: Record<string, unknown> | undefined;
};

/** `POST /sandbox-simulations` with a `type`: its body in, the body to answer out (undefined:
 * the spec's sample). */
export type Simulation = (
  request: Record<string, unknown>,
  sandbox: SandboxContext,
) => Record<string, unknown> | undefined;

/** A request to an operation under a stored item (`GET /funding-sources/{id}/balance`,
 * `POST /funding-sources/{id}/micro-deposits`), for the family of the item. */
export type ItemCall = {
  /** The stored item the path names. */
  item: StoredResource;
  /** The path below the item (`balance`, `micro-deposits`). */
  name: string;
  method: string;
  /** The parsed, validated request body (undefined when there is none). */
  body: unknown;
  /** The request's URL, without its query. */
  href: string;
};

/** What a family's rules may use: the stored resources and the ways to change them. */
export type SandboxContext = {
  /** Reads (get, list, byHref); change resources through `change`, so events follow. */
  store: Store;
  now(): number;
  /** The emulator's origin, that stored links point at. */
  origin(): string;
  /** The account the emulator's tokens act for (`/accounts/<accountId>`). */
  accountId: string;
  /** Whether webhooks may go to any host (`webhooks.allowAnyHost`), not only to loopback. */
  allowAnyHost: boolean;
  /** Whether the spec has a collection of this type (`funding-sources`) that GET answers. */
  stores(type: string): boolean;
  /** Creates a resource at `<origin>/<type>/<new id>` as a rule wants it (a transfer's next leg,
   * a customer's balance): no `creating` rule runs (it is the rule's own), the rest does (fitted,
   * shown, its creation topics, `created`, `follow`). Returns what was stored. */
  create(
    type: string,
    given: Record<string, unknown>,
    options?: { parent?: StoredResource; memo?: Record<string, unknown> },
  ): StoredResource;
  /** Stores the resource with `changes` merged into its body (fitted to its schema), and records
   * the events its family names for the change. Returns what was stored. (Its `memo` is kept as
   * given: pass `{ ...resource, memo }` to change what the rules remember.) */
  change(resource: StoredResource, changes: Record<string, unknown>): StoredResource;
  /** Records an event about a resource, delivered to the webhook subscriptions. `customer`
   * (`customers/<id>`) is the customer it is about; null for none (the account's own event); by
   * default the resource's first related customer. */
  event(topic: string, resource: StoredResource, customer?: string | null): void;
};

/**
 * The sandbox rules of one resource family (customers, funding sources, transfers, …), as
 * moto's backends hold them: what Dwolla's Sandbox does beyond storing what it is sent. Every
 * hook is optional; a type no family names gets the generic behaviour (store, read, update,
 * remove, list; `[customer_]<name>_created` on creation). Rules know nothing of HTTP: they read
 * and change resources through the context and refuse with a SandboxError (errors.ts).
 */
export type FamilyRules = {
  /** The collections these rules are for: the spec's path segments (`customers`). */
  types: readonly string[];
  /** Values a new resource starts with where the request gives none (a transfer's `pending`). */
  defaults?: Record<string, unknown>;
  /** Before a resource is stored: refuse it (throw a SandboxError), adjust the draft, or return
   * a stored resource to answer with instead of creating one (a removed bank added again). */
  creating?(draft: Draft, sandbox: SandboxContext): StoredResource | void;
  /** The event topics of a creation (default `[customer_]<name>_created`), in order. */
  createdTopics?(resource: StoredResource): string[];
  /** After a creation is stored and its topics recorded: what follows at once (a sample
   * document reviewed, its customer verified). */
  created?(resource: StoredResource, sandbox: SandboxContext): void;
  /** The links (and embedded resources) a resource shows in its current state, set after each
   * creation and change, once its body is fitted: a customer's `send` only while verified, a KBA
   * session's `answer`. Given the resource as fitted, with the links it has. */
  shown?(resource: StoredResource, sandbox: SandboxContext): Shown;
  /** Before a GET answers a stored item: refuse it (throw a SandboxError) or note the read
   * (through `change`); returns the resource to answer. */
  reading?(resource: StoredResource, sandbox: SandboxContext): StoredResource;
  /** An update (a POST to an item): refuse it (throw a SandboxError), or make it (through
   * `change`) and return the body to answer; undefined leaves it to the generic update (the
   * request's fields merged into the body). */
  updating?(
    resource: StoredResource,
    given: Record<string, unknown>,
    sandbox: SandboxContext,
  ): Record<string, unknown> | undefined;
  /** The event topics of a change (a status that moved, a funding source removed), in order. */
  updatedTopics?(before: StoredResource, after: StoredResource): string[];
  /** After any resource, of any family, is stored (created: `before` undefined; or changed):
   * what follows from it for this family (a verified customer gets a balance; a removed bank's
   * pending incoming transfers are cancelled). */
  follow?(before: StoredResource | undefined, after: StoredResource, sandbox: SandboxContext): void;
  /** An operation under one of this family's items (see ItemCall): the body to answer with, or
   * undefined for the spec's sample answer (after whatever the rule changed). */
  under?(call: ItemCall, sandbox: SandboxContext): Record<string, unknown> | undefined;
  /** What `POST /sandbox-simulations` without a `type` does to this family's resources: how many
   * it processed (the answer's `total`). */
  simulate?(sandbox: SandboxContext): number | void;
  /** `POST /sandbox-simulations` with a `type` (`customer-verification`), by that type. */
  simulations?: Record<string, Simulation>;
  /** What a new (or reset) sandbox holds of this family (the account's funding sources). Runs
   * on every start and reset, so it adds only what is missing. */
  seed?(sandbox: SandboxContext): void;
};
