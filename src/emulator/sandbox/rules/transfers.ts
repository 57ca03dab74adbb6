import { halLink } from '../../answer/resource-links.js';
import { createdTopic } from '../../events/topics.js';
import { isRecord } from '../../spec/spec-pointer.js';
import { NotFoundError, ValidationError, type FieldProblem } from '../errors.js';
import type { Draft, FamilyRules, SandboxContext } from '../family.js';
import { selfHref, splitKey, type StoredResource } from '../store.js';
import {
  balanceOf,
  centsIn,
  customerOf,
  FUNDING_SOURCES,
  isBalance,
  isBank,
  keyOf,
  partyOf,
  toCents,
  type Party,
} from './balances.js';
import {
  announce,
  cancel,
  cancellable,
  createLeg,
  legBody,
  legOf,
  newLeg,
  simulate,
  start,
  type LegPlan,
} from './legs.js';
import { customerMay } from './customer-status.js';
import { describeReturn } from './returns.js';

/** The most a customer may send in one transfer (Dwolla's default for verified customers). */
const TRANSFER_LIMIT_CENTS = 10_000_00;

/** A refusal of `POST /transfers`, as Dwolla's spec lists them (one field error each). */
const refuse = (code: string, message: string, path: string): never => {
  throw new ValidationError([{ code, message, path }] satisfies FieldProblem[]);
};
const SOURCE = '/_links/source/href';
const DESTINATION = '/_links/destination/href';
const AMOUNT = '/amount/value';
/** Dwolla's bounds on a transfer's `metadata`: 10 pairs, each value a string under 255 chars. */
const METADATA_PAIRS = 10;
const METADATA_VALUE_CHARS = 255;

/** Transfers: each a leg of money moving between funding sources (see legs.ts). Mass payments
 * are stored pending, as before. */
export const transfers: FamilyRules = {
  types: ['transfers', 'mass-payments'],
  defaults: { status: 'pending' },
  creating(draft, sandbox) {
    if (draft.type === 'transfers') plan(draft, sandbox);
  },
  // A leg's events name its parties (announce): recorded in `created`.
  createdTopics: (r) => (r.type === 'transfers' ? [] : [createdTopic(r)]),
  created(transfer, sandbox) {
    const leg = legOf(transfer);
    if (!leg) return;
    const key = keyOf(transfer);
    announce(sandbox, key, 'created');
    const fees = (transfer.memo?.fees ?? []) as LegPlan[];
    if (fees.length) {
      const made = fees.map((fee) => keyOf(createLeg(sandbox, { ...fee, waits: key })));
      const { fees: _, ...memo } = transfer.memo!;
      const current = sandbox.store.get(...splitKey(key)) ?? transfer;
      sandbox.change(
        { ...current, memo: { ...memo, leg: { ...legOf(current)!, fees: made, then: made } } },
        {},
      );
    }
    if (!leg.waits) start(sandbox, key);
  },
  shown(transfer, sandbox) {
    const leg = legOf(transfer);
    if (!leg) return {};
    const links = { ...(isRecord(transfer.body._links) ? transfer.body._links : {}) };
    const self = selfHref(transfer, sandbox.origin());
    const at = (key: string) => `${sandbox.origin()}/${key}`;
    const set = (name: string, href: string | false | undefined, type = 'transfers') => {
      if (href) links[name] = halLink(href, type);
      else delete links[name];
    };
    set('cancel', cancellable(transfer) && self);
    set('failure', leg.failure && `${self}/failure`, 'failure');
    set('fees', !!leg.fees?.length && `${self}/fees`, 'fees');
    set('funding-transfer', leg.fundedBy && at(leg.fundedBy));
    set('funded-transfer', leg.funds && at(leg.funds));
    return { _links: links };
  },
  updating(transfer, given, sandbox) {
    if (!legOf(transfer)) return undefined;
    // POST /transfers/{id} {status: "cancelled"}, while Dwolla shows a `cancel` link.
    if (given.status !== 'cancelled') refuse('Invalid', 'Status invalid.', '/status');
    if (!cancellable(transfer)) refuse('NotAllowed', 'Status not allowed.', '/status');
    cancel(sandbox, keyOf(transfer));
    return sandbox.store.get(transfer.type, transfer.id)?.body;
  },
  follow(before, after, sandbox) {
    // A bank removed: the transfers still pending to it are cancelled, and what was to be paid
    // out to it stays in the receiver's balance.
    if (after.type !== FUNDING_SOURCES || before?.body.removed === true) return;
    if (after.body.removed !== true) return;
    const bank = keyOf(after);
    for (const transfer of sandbox.store.list('transfers')) {
      const leg = legOf(transfer);
      if (!leg || transfer.body.status !== 'pending') continue;
      if (leg.to === bank) cancel(sandbox, keyOf(transfer));
      else if (leg.payout === bank) {
        sandbox.change(
          { ...transfer, memo: { ...transfer.memo, leg: { ...leg, payout: undefined } } },
          {},
        );
      }
    }
  },
  under({ item, name }, sandbox) {
    const leg = legOf(item);
    if (!leg) return undefined;
    const self = selfHref(item, sandbox.origin());
    if (name === 'failure') {
      if (!leg.failure) throw new NotFoundError();
      const bank = sandbox.store.get(...splitKey(leg.failure.bank));
      const links: Record<string, unknown> = {
        self: halLink(`${self}/failure`, 'failure'),
        'failed-funding-source': halLink(
          `${sandbox.origin()}/${leg.failure.bank}`,
          FUNDING_SOURCES,
        ),
      };
      const customer = bank && partyOf(bank);
      if (customer) links.customer = halLink(`${sandbox.origin()}/${customer}`, 'customers');
      return { _links: links, ...describeReturn(leg.failure.code) };
    }
    if (name === 'fees') {
      const fees = (leg.fees ?? [])
        .map((key) => sandbox.store.get(...splitKey(key))?.body)
        .filter((body) => body !== undefined);
      return {
        _links: { self: halLink(`${self}/fees`, 'fees') },
        _embedded: { fees },
        transactions: fees,
        total: fees.length,
      };
    }
    return undefined;
  },
  simulate,
};

/**
 * `POST /transfers`: refuses what Dwolla refuses (see its spec's 400 answers), then plans the
 * legs: from a bank of a party with a balance, a funding leg to that balance first; to a bank of
 * a party with a balance, the transfer goes to the balance and a payout follows it. The draft
 * becomes the transfer itself, its fees legs made once it is stored.
 */
function plan(draft: Draft, sandbox: SandboxContext): void {
  const given = draft.given;
  const links = isRecord(given._links) ? given._links : {};
  const hrefOf = (name: string) => (isRecord(links[name]) ? links[name].href : undefined);
  const cents = toCents(isRecord(given.amount) ? given.amount.value : undefined);
  if (cents === undefined) {
    refuse(
      'InvalidFormat',
      'Invalid amount. The supplied amount must be a positive number.',
      AMOUNT,
    );
  }
  const source = fundingSourceAt(sandbox, hrefOf('source'));
  if (!source) refuse('Invalid', 'Funding source not found.', SOURCE);
  const destination = fundingSourceAt(sandbox, hrefOf('destination'));
  if (!destination) refuse('Invalid', 'Receiver not found.', DESTINATION);
  if (source!.body.removed === true || source!.body.status !== 'verified') {
    refuse('Invalid', 'Invalid funding source.', SOURCE);
  }
  if (destination!.body.removed === true) {
    refuse('Invalid', 'Invalid destination funding source.', DESTINATION);
  }
  if (keyOf(source!) === keyOf(destination!)) {
    refuse('Invalid', 'Receiver cannot be the owner of the source funding source.', DESTINATION);
  }
  const sender = partyOf(source!);
  const receiver = partyOf(destination!);
  if (!may(sandbox, sender, 'send')) refuse('Restricted', 'Sender restricted.', SOURCE);
  if (!may(sandbox, receiver, 'receive')) refuse('Restricted', 'Receiver restricted.', DESTINATION);
  if (sender !== null && cents! > TRANSFER_LIMIT_CENTS) {
    refuse(
      'Invalid',
      'Invalid amount. The supplied amount is greater than your transaction limit.',
      AMOUNT,
    );
  }
  if (given.metadata !== undefined && !metadataAllowed(given.metadata, source!)) {
    refuse('Invalid', 'Invalid metadata.', '/metadata');
  }
  if (isBalance(source!) && centsIn(source!) < cents!) {
    refuse('InsufficientFunds', 'Insufficient funds.', SOURCE);
  }
  const fees = feesOf(sandbox, given.fees, cents!, [
    [sender, source!],
    [receiver, destination!],
  ]);

  const key = `transfers/${draft.id}`;
  let from = keyOf(source!);
  let to = keyOf(destination!);
  const senderBalance = balanceOf(sandbox, sender);
  const receiverBalance = balanceOf(sandbox, receiver);
  let waits: string | undefined;
  let payout: string | undefined;
  if (isBank(source!) && senderBalance && keyOf(senderBalance) !== to) {
    const funding = createLeg(sandbox, {
      from,
      to: keyOf(senderBalance),
      cents: cents!,
      kind: 'bank_transfer',
      parties: [sender],
      funds: key,
      then: [key],
    });
    from = keyOf(senderBalance);
    waits = keyOf(funding);
  }
  if (isBank(destination!) && receiverBalance && keyOf(receiverBalance) !== from) {
    payout = to;
    to = keyOf(receiverBalance);
  }
  const { _links: _, fees: __, amount: ___, ...fields } = given;
  const legPlan: LegPlan = {
    from,
    to,
    cents: cents!,
    kind: sender === receiver ? 'bank_transfer' : 'transfer',
    parties: [sender, receiver],
    waits,
    fundedBy: waits,
    payout,
    fields,
  };
  const body = legBody(sandbox, legPlan);
  // The transfer shows the funding sources it was asked for; its legs move the money.
  const shown = body._links as Record<string, unknown>;
  shown['source-funding-source'] = { href: selfHref(source!, sandbox.origin()) };
  shown['destination-funding-source'] = { href: selfHref(destination!, sandbox.origin()) };
  draft.given = body;
  draft.memo = { leg: newLeg(sandbox, legPlan), fees };
}

/** Whether a transfer may carry this `metadata`: at most 10 pairs of short strings, and not on
 * a transfer from a balance (Dwolla's transfer reference). */
function metadataAllowed(metadata: unknown, source: StoredResource): boolean {
  if (!isRecord(metadata) || isBalance(source)) return false;
  const values = Object.values(metadata);
  return (
    values.length <= METADATA_PAIRS &&
    values.every((v) => typeof v === 'string' && v.length < METADATA_VALUE_CHARS)
  );
}

/** A funding source stored at an href, if any. */
function fundingSourceAt(sandbox: SandboxContext, href: unknown): StoredResource | undefined {
  const found = sandbox.store.byHref(href);
  return found?.type === FUNDING_SOURCES ? found : undefined;
}

/** Whether a party may send or receive now: the account always, a customer as its status lets
 * it (customer-status.ts). */
function may(sandbox: SandboxContext, party: Party, what: 'send' | 'receive'): boolean {
  const customer = customerOf(sandbox, party);
  return party === null || (customer !== undefined && customerMay(customer)[what]);
}

/**
 * A transfer's facilitator fees (`fees: [{_links: {charge-to}, amount}]`), each a transfer of its
 * own from the customer charged (their balance, else their funding source in this transfer) to
 * the account's balance, made and settled with the transfer: refused as Dwolla's spec lists
 * (charged to a customer not in the transfer, under $0.01, more than half the amount).
 */
function feesOf(
  sandbox: SandboxContext,
  fees: unknown,
  cents: number,
  parties: [Party, StoredResource][],
): LegPlan[] {
  if (!Array.isArray(fees) || fees.length === 0) return [];
  const account = balanceOf(sandbox, null);
  const plans = fees.map((fee: unknown) => {
    const chargeTo = isRecord(fee) && isRecord(fee._links) ? fee._links['charge-to'] : undefined;
    const charged = sandbox.store.byHref(isRecord(chargeTo) ? chargeTo.href : undefined);
    const found = charged && parties.find(([party]) => party === keyOf(charged));
    if (!account || !found) refuse('Invalid', 'Facilitator fee account not found.', '');
    const feeCents = toCents(isRecord(fee) && isRecord(fee.amount) ? fee.amount.value : undefined);
    if (feeCents === undefined) refuse('Invalid', 'Facilitator fee below minimum.', '');
    const [party, fundingSource] = found!;
    const from = balanceOf(sandbox, party) ?? fundingSource;
    return {
      from: keyOf(from),
      to: keyOf(account!),
      cents: feeCents!,
      kind: 'transfer',
      parties: [party, null],
      clears: 'book',
      fee: true,
    } satisfies LegPlan;
  });
  if (plans.reduce((sum, p) => sum + p.cents, 0) * 2 > cents) {
    refuse('Invalid', 'Facilitator fee sum too large.', '');
  }
  return plans;
}
