import { halLink } from '../../answer/resource-links.js';
import { isRecord } from '../../spec/spec-pointer.js';
import { InvalidResourceStateError } from '../errors.js';
import type { FamilyRules } from '../family.js';
import { selfHref, splitKey } from '../store.js';

/** Dwolla's topics for a beneficial owner's verification status ("Webhook events"). */
export const OWNER_TOPICS: Readonly<Record<string, string>> = {
  verified: 'customer_beneficial_owner_verified',
  incomplete: 'customer_beneficial_owner_reverification_needed',
  document: 'customer_beneficial_owner_verification_document_needed',
};

/** The status the Sandbox gives an owner for its `firstName`: `incomplete`, `document`, else
 * `verified`; after its one retry, `incomplete` is no longer possible. */
function ownerStatus(firstName: unknown, retried: boolean): string {
  const name = typeof firstName === 'string' ? firstName.trim().toLowerCase() : '';
  if (name === 'document' || (name === 'incomplete' && retried)) return 'document';
  return name === 'incomplete' ? 'incomplete' : 'verified';
}

/**
 * A business's beneficial owners: verified unless named `incomplete` (one retry, by
 * `POST /beneficial-owners/{id}`, the `retry-verification` link) or `document` (upload with the
 * `verify-with-document` link), with their topics after `customer_beneficial_owner_created`.
 */
export const beneficialOwners: FamilyRules = {
  types: ['beneficial-owners'],
  creating(draft) {
    draft.given = { ...draft.given, verificationStatus: ownerStatus(draft.given.firstName, false) };
  },
  createdTopics: (owner) => [
    'customer_beneficial_owner_created',
    OWNER_TOPICS[String(owner.body.verificationStatus)]!,
  ],
  created(owner, sandbox) {
    // An owner added after certification: the business certifies again (Dwolla: `recertify`).
    const customer = sandbox.store.get(...splitKey(owner.parent));
    if (customer?.memo?.certification !== 'certified') return;
    sandbox.change({ ...customer, memo: { ...customer.memo, certification: 'recertify' } }, {});
  },
  shown(owner, sandbox) {
    const self = selfHref(owner, sandbox.origin());
    const {
      'retry-verification': _r,
      'verify-with-document': _d,
      ...links
    } = isRecord(owner.body._links) ? owner.body._links : {};
    const status = owner.body.verificationStatus;
    if (status === 'incomplete') links['retry-verification'] = halLink(self, 'beneficial-owners');
    if (status === 'document') {
      links['verify-with-document'] = halLink(`${self}/documents`, 'documents');
    }
    return { _links: links };
  },
  updating(owner, given, sandbox) {
    if (owner.body.verificationStatus !== 'incomplete') throw new InvalidResourceStateError();
    const verificationStatus = ownerStatus(given.firstName, true);
    return sandbox.change(owner, { ...given, verificationStatus }).body;
  },
  updatedTopics(before, after) {
    const now = after.body.verificationStatus;
    if (now === before.body.verificationStatus) return [];
    return OWNER_TOPICS[String(now)] ? [OWNER_TOPICS[String(now)]!] : [];
  },
};
