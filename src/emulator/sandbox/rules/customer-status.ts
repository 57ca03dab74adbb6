import { halLink, type HalLink } from '../../answer/resource-links.js';
import { isRecord } from '../../spec/spec-pointer.js';
import { selfHref, type StoredResource } from '../store.js';

/**
 * A verified customer's status in Dwolla's Sandbox, read from the names it is created (or
 * retried) with, and what each status lets it do: its links, and whether it may send or receive
 * money. Sources: developers.dwolla.com "Testing" (customers) and "Handle verification statuses"
 * (personal and business).
 */

/** Dwolla's topics for a customer's new status ("Webhook events"). */
export const STATUS_TOPICS: Readonly<Record<string, string>> = {
  verified: 'customer_verified',
  suspended: 'customer_suspended',
  deactivated: 'customer_deactivated',
  document: 'customer_verification_document_needed',
  retry: 'customer_reverification_needed',
  kba: 'customer_kba_verification_needed',
};

/** What failed verification, for a business: which link asks for which document, and whether
 * a retry needs the controller's full SSN. */
export type Flagged = 'business' | 'controller' | 'both';

export type Verdict = { status: string; flagged?: Flagged };

/** Kinds of customer Dwolla verifies (the others, unverified and receive-only, are never). */
export const isVerifiedType = (type: unknown) => type === 'personal' || type === 'business';

const sentinel = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/**
 * The status the Sandbox gives a verified customer for its names: a personal customer's
 * `firstName` `verified`/`retry`/`kba`/`document`/`suspended`; a business's `businessName`
 * `retry`/`document` and its controller's `firstName` `retry`/`document`/`suspended` (for a sole
 * proprietorship, which has no controller, its own `firstName`). Anything else: `verified`.
 * Precedence: suspended, then retry, then document.
 */
export function verdictFor(body: Record<string, unknown>): Verdict {
  if (body.type !== 'business') {
    const status = sentinel(body.firstName);
    return { status: status in STATUS_TOPICS && status !== 'deactivated' ? status : 'verified' };
  }
  const person = sentinel(isRecord(body.controller) ? body.controller.firstName : body.firstName);
  const business = sentinel(body.businessName);
  const flagged = (personFlag: boolean, businessFlag: boolean): Flagged =>
    personFlag && businessFlag ? 'both' : personFlag ? 'controller' : 'business';
  if (person === 'suspended') return { status: 'suspended' };
  if (person === 'retry' || business === 'retry') {
    return { status: 'retry', flagged: flagged(person === 'retry', business === 'retry') };
  }
  if (person === 'document' || business === 'document') {
    return { status: 'document', flagged: flagged(person === 'document', business === 'document') };
  }
  return { status: 'verified' };
}

/** Whether a customer is a business with beneficial owners (an LLC, corporation or
 * partnership, not a sole proprietorship): it certifies its beneficial ownership to send. */
export const hasOwners = (body: Record<string, unknown>) =>
  body.type === 'business' && body.businessType !== 'soleProprietorship';

/** A business's beneficial ownership certification: `uncertified` until it certifies,
 * `recertify` once an owner is added after that (Dwolla gives it a grace period to send). */
export function certificationOf(customer: StoredResource): string {
  const certification = customer.memo?.certification;
  return typeof certification === 'string' ? certification : 'uncertified';
}

/** Whether a customer may send or receive money now: verified customers both (a business with
 * owners sends once it has certified them); unverified ones both too (Dwolla limits with whom);
 * receive-only ones receive; any other status neither. */
export function customerMay(customer: StoredResource): { send: boolean; receive: boolean } {
  const { type, status } = customer.body;
  if (isVerifiedType(type)) {
    const verified = status === 'verified';
    const certified = !hasOwners(customer.body) || certificationOf(customer) !== 'uncertified';
    return { send: verified && certified, receive: verified };
  }
  const active = status === 'unverified';
  return { send: active && type === 'unverified', receive: active };
}

/** The documents a business in `document` status is asked for, by what failed. */
const DOCUMENT_LINKS: Record<Flagged, string> = {
  controller: 'verify-with-document',
  business: 'verify-business-with-document',
  both: 'verify-controller-and-business-with-document',
};

/** Links a customer's status decides; every other link it has (self, its lists) stays. */
export const STATUS_RELS = new Set([
  'send',
  'receive',
  'edit',
  'edit-form',
  'deactivate',
  'reactivate',
  'retry-verification',
  'retry-with-full-ssn',
  'document-form',
  'certify-beneficial-ownership',
  ...Object.values(DOCUMENT_LINKS),
]);

/** Dwolla's HAL-Forms profile, on a link to a form that edits the resource. */
const FORM = 'application/vnd.dwolla.v1.hal+json; profile="https://github.com/dwolla/hal-forms"';

/**
 * The links a customer carries in its status, as Dwolla's examples show them: verified `send`,
 * `receive`, `edit`, `edit-form`, `deactivate`; retry `edit`, `edit-form`, `deactivate`,
 * `retry-verification` (and `retry-with-full-ssn` when the controller failed); a verified
 * business with owners `certify-beneficial-ownership` until it has certified them; document
 * `document-form` and the document link for what failed (a verification directive brings its
 * own); deactivated `reactivate`; suspended
 * nothing more. Unverified customers `send`, `receive`, `edit`, `edit-form`, `deactivate`;
 * receive-only ones the same without `send`.
 */
export function statusLinks(
  customer: StoredResource,
  origin: string,
  flagged: Flagged | undefined,
): Record<string, HalLink> {
  const self = selfHref(customer, origin);
  const documents = halLink(`${self}/documents`, 'documents');
  const itself = halLink(self, 'customers');
  const may = customerMay(customer);
  const links: Record<string, HalLink> = {};
  if (may.send) links.send = halLink(`${origin}/transfers`, 'transfers');
  if (may.receive) links.receive = halLink(`${origin}/transfers`, 'transfers');
  const status = customer.body.status;
  const editable = status === 'verified' || status === 'retry' || status === 'unverified';
  if (editable) {
    links.edit = itself;
    links['edit-form'] = { ...itself, type: FORM };
    links.deactivate = itself;
  }
  if (status === 'verified' && hasOwners(customer.body)) {
    if (certificationOf(customer) !== 'certified') {
      links['certify-beneficial-ownership'] = halLink(
        `${self}/beneficial-ownership`,
        'beneficial-ownership',
      );
    }
  }
  if (status === 'retry') {
    links['retry-verification'] = itself;
    if (flagged === 'controller' || flagged === 'both') links['retry-with-full-ssn'] = itself;
  }
  if (status === 'document') {
    links['document-form'] = { ...documents, type: FORM };
    if (customer.body.type !== 'business') links['verify-with-document'] = documents;
    else if (flagged) links[DOCUMENT_LINKS[flagged]] = documents;
  }
  if (status === 'deactivated') links.reactivate = itself;
  return links;
}
