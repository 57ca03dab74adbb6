import { halLink, type HalLink } from '../../answer/resource-links.js';
import { isRecord } from '../../spec/spec-pointer.js';
import { InvalidResourceStateError, SandboxError, ValidationError } from '../errors.js';
import type { FamilyRules, ItemCall, SandboxContext } from '../family.js';
import { selfHref, type StoredResource } from '../store.js';
import { customerFieldProblems } from './customer-fields.js';
import {
  certificationOf,
  hasOwners,
  isVerifiedType,
  STATUS_RELS,
  STATUS_TOPICS,
  statusLinks,
  verdictFor,
  type Flagged,
  type Verdict,
} from './customer-status.js';

/** What the customer rules remember of a customer (StoredResource.memo). */
type CustomerMemo = {
  /** What failed its (business) verification: which document it is asked for. */
  flagged?: Flagged;
  /** Its status before it was deactivated, which reactivation restores. */
  before?: string;
  /** Verification directives (`customer-verification` simulations), shown in `_embedded.errors`. */
  directives?: string[];
  /** A business's beneficial ownership certification (see customer-status.ts). */
  certification?: 'certified' | 'recertify';
};

const memoOf = (customer: StoredResource): CustomerMemo => (customer.memo ?? {}) as CustomerMemo;

/**
 * Verification directives the Sandbox sets with `POST /sandbox-simulations`
 * `{ type: "customer-verification", errorCode }` on a business customer (developers.dwolla.com
 * "Testing": the four codes; "Handle verification statuses" names the residential one
 * `ResidentialAddressRequired`): the status each puts the customer in, what it says, and the
 * link to act on it.
 */
const DIRECTIVES: Record<string, { status: 'retry' | 'document'; message: string; rel: string }> = {
  ControllerNonResidential: {
    status: 'retry',
    message: "The controller's address must be a residential address.",
    rel: 'retry-verification',
  },
  ResidentialAddressRequired: {
    status: 'retry',
    message: "The controller's address must be a residential address.",
    rel: 'retry-verification',
  },
  POBoxNotAllowed: {
    status: 'retry',
    message: 'A P.O. box is not allowed as the business address.',
    rel: 'retry-verification',
  },
  AddressNotAssociatedWithBusiness: {
    status: 'retry',
    message: 'The address could not be associated with the business.',
    rel: 'retry-verification',
  },
  EINDocumentRequired: {
    status: 'document',
    message: "A document showing the business's EIN is required.",
    rel: 'upload-ein-document',
  },
};

/** Dwolla answers no SSN, date of birth or passport of a controller (the spec declares none). */
function withoutSecrets(given: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(given.controller)) return given;
  const { ssn: _s, dateOfBirth: _d, passport: _p, ...controller } = given.controller;
  return { ...given, controller };
}

/** 400 listing the fields whose format Dwolla refuses (customer-fields.ts). */
function refuseBadFields(given: Record<string, unknown>, sandbox: SandboxContext): void {
  const problems = customerFieldProblems(given, sandbox.now());
  if (problems.length) throw new ValidationError(problems);
}

/** 400 when another customer has the email (Dwolla: `Duplicate` on `/email`, about it). */
function refuseDuplicateEmail(email: unknown, sandbox: SandboxContext, self?: string): void {
  if (typeof email !== 'string') return;
  const wanted = email.trim().toLowerCase();
  const other = sandbox.store
    .list('customers')
    .find(
      (c) =>
        c.id !== self &&
        typeof c.body.email === 'string' &&
        c.body.email.trim().toLowerCase() === wanted,
    );
  if (!other) return;
  throw new ValidationError([
    {
      code: 'Duplicate',
      message: 'A customer with the specified email already exists.',
      path: '/email',
      _links: { about: halLink(selfHref(other, sandbox.origin()), 'customers') },
    },
  ]);
}

const FULL_SSN = /^\d{3}-?\d{2}-?\d{4}$/;

/** A retry needs the full 9-digit SSN: the person's, or the controller's when it failed. */
function requireFullSsn(customer: StoredResource, given: Record<string, unknown>): void {
  const flagged = memoOf(customer).flagged;
  const controller = isRecord(given.controller) ? given.controller : undefined;
  const [ssn, path] =
    customer.body.type !== 'business'
      ? [given.ssn, '/ssn']
      : controller && (flagged === 'controller' || flagged === 'both')
        ? [controller.ssn, '/controller/ssn']
        : [undefined, ''];
  if (!path || (typeof ssn === 'string' && FULL_SSN.test(ssn))) return;
  throw new ValidationError([
    { code: 'Invalid', message: 'A full 9-digit SSN is required to retry verification.', path },
  ]);
}

/** Whether an update carries identity to verify (a retry, or an upgrade to a verified type). */
const verifies = (given: Record<string, unknown>) =>
  ['ssn', 'dateOfBirth', 'controller', 'ein'].some((field) => field in given);

/** Stores a verdict on the customer (its status, what failed) with the given fields. */
function apply(
  customer: StoredResource,
  verdict: Verdict,
  given: Record<string, unknown>,
  sandbox: SandboxContext,
): StoredResource {
  const { directives: _, ...memo } = memoOf(customer);
  return sandbox.change(
    { ...customer, memo: { ...memo, flagged: verdict.flagged } },
    { ...withoutSecrets(given), status: verdict.status },
  );
}

/** `POST /customers/{id}` with `status`: deactivate, reactivate or suspend. */
function changeStatus(customer: StoredResource, wanted: string, sandbox: SandboxContext) {
  const status = customer.body.status;
  const memo = memoOf(customer);
  if (wanted === 'deactivated') {
    if (status === 'suspended' || status === 'deactivated') {
      throw new InvalidResourceStateError(`A ${status} Customer cannot be deactivated.`);
    }
    return sandbox.change(
      { ...customer, memo: { ...memo, before: String(status) } },
      { status: 'deactivated' },
    );
  }
  if (wanted === 'reactivated') {
    if (status !== 'deactivated') {
      throw new InvalidResourceStateError('Only a deactivated Customer can be reactivated.');
    }
    const back = memo.before ?? (isVerifiedType(customer.body.type) ? 'verified' : 'unverified');
    return sandbox.change({ ...customer, memo: { ...memo, before: undefined } }, { status: back });
  }
  if (wanted === 'suspended') {
    if (status === 'suspended' || status === 'deactivated') {
      throw new InvalidResourceStateError(`A ${status} Customer cannot be suspended.`);
    }
    return sandbox.change(customer, { status: 'suspended' });
  }
  throw new ValidationError([{ code: 'Invalid', message: 'Status invalid.', path: '/status' }]);
}

/**
 * `POST /customers/{id}` with identity to verify: a verified customer's retry (only in `retry`,
 * with the full SSN; the names sent decide again, and a second `retry` ends in `document`), or
 * an unverified customer's upgrade to a verified type (its names decide, as at creation).
 */
function verify(customer: StoredResource, given: Record<string, unknown>, sandbox: SandboxContext) {
  const merged = { ...customer.body, ...given };
  if (!isVerifiedType(customer.body.type)) {
    if (!isVerifiedType(merged.type)) return undefined;
    return apply(customer, verdictFor(merged), given, sandbox);
  }
  if (customer.body.status !== 'retry') throw new InvalidResourceStateError();
  requireFullSsn(customer, given);
  const verdict = verdictFor(merged);
  return apply(
    customer,
    verdict.status === 'retry' ? { ...verdict, status: 'document' } : verdict,
    given,
    sandbox,
  );
}

/** `POST /sandbox-simulations { type: "customer-verification", _links.customer, errorCode }`. */
function customerVerification(request: Record<string, unknown>, sandbox: SandboxContext) {
  const link = isRecord(request._links) ? request._links.customer : undefined;
  const customer = sandbox.store.byHref(isRecord(link) ? link.href : undefined);
  if (customer?.type !== 'customers' || customer.body.type !== 'business') {
    throw new ValidationError([
      {
        code: 'Invalid',
        message: 'A business verified Customer of this account is required.',
        path: '/_links/customer/href',
      },
    ]);
  }
  const code = String(request.errorCode);
  const directive = DIRECTIVES[code];
  if (!directive) {
    throw new ValidationError([
      {
        code: 'Invalid',
        message: `Unknown errorCode; the Sandbox takes ${Object.keys(DIRECTIVES).join(', ')}.`,
        path: '/errorCode',
      },
    ]);
  }
  const memo = memoOf(customer);
  const directives = [...(memo.directives ?? []).filter((d) => d !== code), code];
  sandbox.change({ ...customer, memo: { ...memo, directives } }, { status: directive.status });
  return undefined;
}

/** `GET|POST /customers/{id}/beneficial-ownership`: a business with owners reads or certifies its
 * beneficial ownership (`{ status: "certified" }`), which lets it send. */
function beneficialOwnership(call: ItemCall, sandbox: SandboxContext) {
  const customer = call.item;
  if (!hasOwners(customer.body)) {
    throw new SandboxError(
      403,
      'Forbidden',
      'Only a business with beneficial owners (not a sole proprietorship) certifies its beneficial ownership.',
    );
  }
  const _links = { self: halLink(call.href, 'beneficial-ownership') };
  if (call.method !== 'post') return { _links, status: certificationOf(customer) };
  if (!isRecord(call.body) || call.body.status !== 'certified') {
    throw new ValidationError([{ code: 'Invalid', message: 'Status invalid.', path: '/status' }]);
  }
  const memo: CustomerMemo = { ...memoOf(customer), certification: 'certified' };
  sandbox.change({ ...customer, memo }, {});
  return { _links, status: 'certified' };
}

/** The `_embedded.errors` of a customer's directives, and of a controller whose full SSN is
 * needed (as Dwolla shows a business in `retry`). */
function embeddedErrors(customer: StoredResource, origin: string) {
  const self = halLink(selfHref(customer, origin), 'customers');
  const documents = halLink(`${self.href}/documents`, 'documents');
  const errors: { code: string; message: string; _links: Record<string, HalLink> }[] = [];
  const memo = memoOf(customer);
  const status = customer.body.status;
  for (const code of memo.directives ?? []) {
    const directive = DIRECTIVES[code]!;
    if (directive.status !== status) continue;
    const target = directive.rel === 'retry-verification' ? self : documents;
    errors.push({ code, message: directive.message, _links: { [directive.rel]: target } });
  }
  if (status === 'retry' && (memo.flagged === 'controller' || memo.flagged === 'both')) {
    errors.push({
      code: 'Required',
      message: "The controller's full 9-digit SSN is required to retry verification.",
      _links: { 'retry-with-full-ssn': self },
    });
  }
  return errors;
}

/**
 * Customers: the Sandbox's verification. A personal or business customer gets its status from
 * its names (customer-status.ts) and says so after `customer_created`; its links follow its
 * status; a retry, a deactivation, a reactivation or a suspension moves it (403
 * InvalidResourceState where Dwolla refuses); an email another customer has is refused.
 * Unverified and receive-only customers keep `unverified`.
 */
export const customers: FamilyRules = {
  types: ['customers'],
  creating(draft, sandbox) {
    refuseBadFields(draft.given, sandbox);
    refuseDuplicateEmail(draft.given.email, sandbox);
    draft.given = withoutSecrets(draft.given);
    if (!isVerifiedType(draft.given.type)) return;
    const verdict = verdictFor(draft.given);
    draft.given = { ...draft.given, status: verdict.status };
    draft.memo = { flagged: verdict.flagged } satisfies CustomerMemo;
  },
  createdTopics(customer) {
    const topic = isVerifiedType(customer.body.type)
      ? STATUS_TOPICS[String(customer.body.status)]
      : undefined;
    return topic ? ['customer_created', topic] : ['customer_created'];
  },
  shown(customer, sandbox) {
    const links = isRecord(customer.body._links) ? customer.body._links : {};
    const kept = Object.entries(links).filter(([rel]) => !STATUS_RELS.has(rel));
    const errors = embeddedErrors(customer, sandbox.origin());
    return {
      _links: {
        ...Object.fromEntries(kept),
        ...statusLinks(customer, sandbox.origin(), memoOf(customer).flagged),
      },
      _embedded: errors.length ? { errors } : undefined,
    };
  },
  updating(customer, given, sandbox) {
    refuseBadFields(given, sandbox);
    refuseDuplicateEmail(given.email, sandbox, customer.id);
    if (typeof given.status === 'string') return changeStatus(customer, given.status, sandbox).body;
    const status = customer.body.status;
    if (status === 'deactivated' || status === 'suspended') throw new InvalidResourceStateError();
    if (verifies(given)) return verify(customer, given, sandbox)?.body;
    return undefined;
  },
  updatedTopics(before, after) {
    const was = before.body.status;
    const now = after.body.status;
    if (now === was || typeof now !== 'string') return [];
    if (was === 'deactivated') return ['customer_activated'];
    const topic = STATUS_TOPICS[now];
    return topic ? [topic] : [];
  },
  under: (call, sandbox) =>
    call.name === 'beneficial-ownership' ? beneficialOwnership(call, sandbox) : undefined,
  simulations: { 'customer-verification': customerVerification },
};
