import { createHash } from 'node:crypto';
import { halLink } from '../../answer/resource-links.js';
import { isRecord } from '../../spec/spec-pointer.js';
import {
  DuplicateResourceError,
  InvalidResourceStateError,
  NotFoundError,
  ValidationError,
} from '../errors.js';
import type { FamilyRules, SandboxContext } from '../family.js';
import { selfHref, type StoredResource } from '../store.js';
import {
  balanceAnswer,
  balanceOf,
  CUSTOMERS,
  FUNDING_SOURCES,
  isBalance,
  isBank,
  keyOf,
  partyHref,
  partyOf,
  topicPrefix,
  type BalanceMemo,
  type Party,
} from './balances.js';
import * as microDeposits from './micro-deposits.js';

/** What Dwolla's Sandbox gives a new account: a bank and $5,000 on its balance. */
const ACCOUNT_BANK = 'Superhero Savings Bank';
const ACCOUNT_BALANCE_CENTS = 5_000_00;
/** The bank name Dwolla's Sandbox shows for its test routing number (and any other). */
const SANDBOX_BANK_NAME = 'SANDBOX TEST BANK';
/** A removed unverified bank added again within this time comes back with its id. */
const READD_WINDOW_MS = 48 * 60 * 60 * 1000;
/** Links that follow a funding source's state (shown), set afresh on each change. */
const STATE_LINKS = [
  'account',
  'balance',
  'remove',
  'initiate-micro-deposits',
  'micro-deposits',
  'verify-micro-deposits',
  'failed-verification-micro-deposits',
];

/** A bank's numbers, kept to tell a duplicate (never answered). */
type BankNumbers = { routingNumber: string; accountNumber: string };

/** Dwolla's fingerprint of a bank account: the same for the same routing and account numbers. */
const fingerprintOf = ({ routingNumber, accountNumber }: BankNumbers) =>
  createHash('sha256').update(`${routingNumber}:${accountNumber}`).digest('hex');

/** A party's funding sources with that fingerprint, newest first. */
function sameBank(sandbox: SandboxContext, party: Party, fingerprint: string): StoredResource[] {
  return sandbox.store
    .list(FUNDING_SOURCES)
    .filter((fs) => partyOf(fs) === party && fs.body.fingerprint === fingerprint);
}

/** Funding sources: banks (added, verified with micro-deposits, removed, added again) and
 * Dwolla balances (the account's, and each verified customer's). */
export const fundingSources: FamilyRules = {
  types: [FUNDING_SOURCES],
  creating(draft, sandbox) {
    const given = { ...draft.given };
    const party: Party = draft.parent ? keyOf(draft.parent) : null;
    const openBanking =
      typeof given.plaidToken === 'string' ||
      (isRecord(given._links) && 'exchange' in given._links);
    if (typeof given.cardToken === 'string') {
      draft.given = { ...given, type: 'card', status: 'verified' };
      return;
    }
    if (typeof given.routingNumber !== 'string' || typeof given.accountNumber !== 'string') {
      if (openBanking) draft.given = { ...given, type: 'bank', status: 'verified' };
      return;
    }
    const numbers: BankNumbers = {
      routingNumber: given.routingNumber,
      accountNumber: given.accountNumber,
    };
    const fingerprint = fingerprintOf(numbers);
    const known = sameBank(sandbox, party, fingerprint);
    const active = known.find((fs) => fs.body.removed !== true);
    if (active) {
      throw new DuplicateResourceError(
        `Bank already exists: id=${active.id}`,
        halLink(selfHref(active, sandbox.origin()), FUNDING_SOURCES),
      );
    }
    // Dwolla: an unverified bank removed and added again within 48 h comes back as it was.
    const back = known.find(
      (fs) => fs.body.status !== 'verified' && sandbox.now() - fs.createdAt < READD_WINDOW_MS,
    );
    if (back) return sandbox.change(back, { removed: false, name: given.name });
    draft.given = {
      ...given,
      type: 'bank',
      status: 'unverified',
      bankName: SANDBOX_BANK_NAME,
      channels: ['ach'],
      fingerprint,
    };
    draft.memo = { ...draft.memo, bank: numbers };
  },
  createdTopics(fs) {
    // A balance comes with the customer's verification; the account's with the account.
    if (isBalance(fs) || fs.memo?.provisioned === true) return [];
    const prefix = topicPrefix(partyOf(fs));
    const verified = fs.body.status === 'verified' ? [`${prefix}funding_source_verified`] : [];
    return [`${prefix}funding_source_added`, ...verified];
  },
  updating(fs, given, sandbox) {
    if (fs.body.removed === true) {
      throw new InvalidResourceStateError('A removed bank cannot be updated.');
    }
    if (!isBank(fs)) {
      throw new ValidationError([
        {
          code: 'Invalid',
          message: "Only funding sources of type='bank' can be updated.",
          path: '',
        },
      ]);
    }
    const moved = ['routingNumber', 'accountNumber', 'bankAccountType'].find((k) => k in given);
    if (moved && fs.body.status === 'verified') {
      throw new ValidationError([
        {
          code: 'NotAllowed',
          message: 'Only the name of a verified bank can be updated.',
          path: `/${moved}`,
        },
      ]);
    }
    const before = fs.memo?.bank as BankNumbers | undefined;
    if (!before || (given.routingNumber === undefined && given.accountNumber === undefined)) {
      return undefined;
    }
    const numbers: BankNumbers = {
      routingNumber: String(given.routingNumber ?? before.routingNumber),
      accountNumber: String(given.accountNumber ?? before.accountNumber),
    };
    const fingerprint = fingerprintOf(numbers);
    const other = sameBank(sandbox, partyOf(fs), fingerprint).find(
      (r) => r.id !== fs.id && r.body.removed !== true,
    );
    if (other) {
      throw new DuplicateResourceError(
        `Bank already exists: id=${other.id}`,
        halLink(selfHref(other, sandbox.origin()), FUNDING_SOURCES),
      );
    }
    const memo = { ...fs.memo, bank: numbers };
    return sandbox.change({ ...fs, memo }, { ...given, fingerprint }).body;
  },
  updatedTopics(before, after) {
    const prefix = topicPrefix(partyOf(after));
    const topics: string[] = [];
    if (after.body.removed !== before.body.removed) {
      topics.push(`${prefix}funding_source_${after.body.removed === true ? 'removed' : 'added'}`);
    }
    if (after.body.status !== before.body.status && !isBalance(after)) {
      const verified = after.body.status === 'verified';
      topics.push(`${prefix}funding_source_${verified ? 'verified' : 'unverified'}`);
    }
    return topics;
  },
  shown(fs, sandbox) {
    const links = Object.fromEntries(
      Object.entries(isRecord(fs.body._links) ? fs.body._links : {}).filter(
        ([name]) => !STATE_LINKS.includes(name),
      ),
    );
    const self = selfHref(fs, sandbox.origin());
    const deposits = microDeposits.microDepositsOf(fs);
    const add = (name: string, href: string, type = FUNDING_SOURCES) => {
      links[name] = halLink(href, type);
    };
    if (fs.parent === undefined) add('account', partyHref(sandbox, null), 'accounts');
    if (isBalance(fs)) add('balance', `${self}/balance`, 'balance');
    if (isBank(fs) && fs.body.removed !== true) {
      add('remove', self);
      if (fs.body.status !== 'verified' && !deposits) {
        add('initiate-micro-deposits', `${self}/micro-deposits`, 'micro-deposits');
      }
    }
    if (deposits) {
      add('micro-deposits', `${self}/micro-deposits`, 'micro-deposits');
      if (microDeposits.canVerify(fs)) {
        add('verify-micro-deposits', `${self}/micro-deposits`, 'micro-deposits');
      }
      if (deposits.attempts >= microDeposits.MAX_ATTEMPTS) {
        add('failed-verification-micro-deposits', `${self}/micro-deposits`, 'micro-deposits');
      }
    }
    return { _links: links };
  },
  follow(_before, after, sandbox) {
    // A verified customer has a Dwolla balance (no event: Dwolla documents none for it).
    if (after.type !== CUSTOMERS || after.body.status !== 'verified') return;
    if (balanceOf(sandbox, keyOf(after))) return;
    sandbox.create(
      FUNDING_SOURCES,
      { name: 'Balance', type: 'balance', status: 'verified' },
      { parent: after, memo: balanceMemo(sandbox, 0) },
    );
  },
  under({ item, name, method, body, href }, sandbox) {
    if (name === 'balance') {
      if (!isBalance(item)) throw new NotFoundError();
      return balanceAnswer(item, href);
    }
    if (name !== 'micro-deposits') return undefined;
    if (method === 'get') return microDeposits.details(item, href);
    if (isRecord(body) && Object.keys(body).length > 0) {
      return microDeposits.verify(sandbox, item, body, href);
    }
    microDeposits.initiate(sandbox, item);
    return undefined; // 201, Location: the micro-deposits
  },
  simulate: microDeposits.simulate,
  seed(sandbox) {
    if (!sandbox.stores(FUNDING_SOURCES) || balanceOf(sandbox, null)) return;
    const provisioned = { provisioned: true };
    sandbox.create(
      FUNDING_SOURCES,
      {
        name: ACCOUNT_BANK,
        type: 'bank',
        status: 'verified',
        bankAccountType: 'checking',
        bankName: SANDBOX_BANK_NAME,
        channels: ['ach'],
        fingerprint: fingerprintOf({
          routingNumber: '222222226',
          accountNumber: sandbox.accountId,
        }),
      },
      { memo: provisioned },
    );
    sandbox.create(
      FUNDING_SOURCES,
      { name: 'Balance', type: 'balance', status: 'verified' },
      { memo: { ...provisioned, ...balanceMemo(sandbox, ACCOUNT_BALANCE_CENTS) } },
    );
  },
};

function balanceMemo(sandbox: SandboxContext, cents: number): BalanceMemo {
  return { balance: cents, updated: new Date(sandbox.now()).toISOString() };
}
