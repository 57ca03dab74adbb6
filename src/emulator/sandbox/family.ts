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
  /** Stores the resource with `changes` merged into its body (fitted to its schema), and records
   * the events its family names for the change. Returns what was stored. */
  change(resource: StoredResource, changes: Record<string, unknown>): StoredResource;
  /** Records an event about a resource, delivered to the webhook subscriptions. */
  event(topic: string, resource: StoredResource): void;
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
  /** Before a resource is stored: refuse it (throw a SandboxError) or adjust the draft. */
  creating?(draft: Draft, sandbox: SandboxContext): void;
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
  /** What `POST /sandbox-simulations` without a `type` does to this family's resources. */
  simulate?(sandbox: SandboxContext): void;
  /** `POST /sandbox-simulations` with a `type` (`customer-verification`), by that type. */
  simulations?: Record<string, Simulation>;
};
