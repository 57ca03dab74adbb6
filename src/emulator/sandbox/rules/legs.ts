import type { SandboxContext } from '../family.js';
import { splitKey, type StoredResource } from '../store.js';
import {
  isBalance,
  isBank,
  keyOf,
  moveMoney,
  partyHref,
  partyOf,
  topicPrefix,
  TRANSFERS,
  usd,
  type Party,
} from './balances.js';
import { removesBank, sentinelOf, type ReturnCode } from './returns.js';

/**
 * How money moves in Dwolla's Sandbox: each transfer resource is one leg between two funding
 * sources. A leg that touches a bank (`clears: 'bank'`) waits for a simulation; a leg between
 * two balances (`book`) settles as soon as it starts. A customer who has a balance (verified) or
 * the account sends from a bank through its balance and receives to a bank through its balance,
 * so a transfer between two such banks is three legs: bank → balance (the funding transfer), the
 * transfer itself, balance → bank (the funded transfer, made once the transfer settled): two
 * simulations, as developers.dwolla.com/docs/balance/transfer-lifecycle shows. Legs remember
 * what they did to balances, so a failure or a cancellation gives it back.
 */
export type Leg = {
  /** Funding sources (`funding-sources/<id>`) the money moves between. */
  from: string;
  to: string;
  cents: number;
  clears: 'bank' | 'book';
  /** Whose events: one party's own bank transfer (`[customer_]bank_transfer_*`), or a transfer
   * between two (`[customer_]transfer_*`, the sender's event first). */
  kind: 'bank_transfer' | 'transfer';
  parties: Party[];
  /** The leg that must settle before this one starts (`transfers/<id>`). */
  waits?: string;
  /** Legs that wait for this one (the transfer after its funding leg, facilitator fees). */
  then: string[];
  /** Links: `funding-transfer` (the leg before), `funded-transfer` (the leg after). */
  fundedBy?: string;
  funds?: string;
  /** A bank to pay out to from `to` (a balance) once this leg settles. */
  payout?: string;
  started: boolean;
  debited: boolean;
  credited: boolean;
  /** A return due at the next simulation (a `-late` sentinel), after this leg was processed. */
  late?: Failure;
  failure?: Failure;
  /** A facilitator fee, and a transfer's fees (`GET /transfers/{id}/fees`). */
  fee?: boolean;
  fees?: string[];
};

/** Why a leg failed: the return, and the bank it came from. */
export type Failure = { code: ReturnCode; bank: string };

/** Pending bank legs (and returns due) one simulation processes: as Dwolla, the last 500. */
const SIMULATED = 500;

export function legOf(transfer: StoredResource | undefined): Leg | undefined {
  const leg = transfer?.memo?.leg;
  return leg && typeof leg === 'object' ? (leg as Leg) : undefined;
}

/** The return code a transfer failed with, if it did. */
export const failureCodeOf = (transfer: StoredResource) => legOf(transfer)?.failure?.code;

const get = (sandbox: SandboxContext, key: string) => sandbox.store.get(...splitKey(key));

/** Stores a leg's new state (and status). */
function save(
  sandbox: SandboxContext,
  key: string,
  changes: Partial<Leg>,
  fields: Record<string, unknown> = {},
): void {
  const transfer = get(sandbox, key);
  const leg = legOf(transfer);
  if (!transfer || !leg) return;
  sandbox.change({ ...transfer, memo: { ...transfer.memo, leg: { ...leg, ...changes } } }, fields);
}

/** A leg's events (`created`, `completed`, `failed`, `cancelled`), one per party. */
export function announce(sandbox: SandboxContext, key: string, what: string): void {
  const transfer = get(sandbox, key);
  const leg = legOf(transfer);
  if (!transfer || !leg) return;
  for (const party of new Set(leg.parties)) {
    sandbox.event(`${topicPrefix(party)}${leg.kind}_${what}`, transfer, party);
  }
}

/** What a new leg is made of: where the money goes, and whose events. */
export type LegPlan = Pick<Leg, 'from' | 'to' | 'cents' | 'kind' | 'parties'> &
  Partial<Pick<Leg, 'waits' | 'then' | 'fundedBy' | 'funds' | 'payout' | 'fee' | 'clears'>> & {
    /** The transfer fields it is stored with (metadata, clearing, …). */
    fields?: Record<string, unknown>;
  };

/** A leg's state from its plan (it clears through a bank if it touches one, unless told). */
export function newLeg(sandbox: SandboxContext, plan: LegPlan): Leg {
  const { fields: _, ...rest } = plan;
  const touchesBank = [plan.from, plan.to].some((k) => {
    const fs = get(sandbox, k);
    return fs !== undefined && isBank(fs);
  });
  return {
    then: [],
    ...rest,
    clears: plan.clears ?? (touchesBank ? 'bank' : 'book'),
    started: false,
    debited: false,
    credited: false,
  };
}

/** The transfer body of a leg: its amount, and links to its parties and funding sources. */
export function legBody(sandbox: SandboxContext, plan: LegPlan): Record<string, unknown> {
  const href = (key: string) => ({ href: `${sandbox.origin()}/${key}` });
  const [sender = null, receiver = sender] = plan.parties;
  return {
    ...plan.fields,
    amount: usd(plan.cents),
    _links: {
      source: { href: partyHref(sandbox, sender) },
      destination: { href: partyHref(sandbox, receiver) },
      'source-funding-source': href(plan.from),
      'destination-funding-source': href(plan.to),
    },
  };
}

/** Creates a leg the rules need (a funding leg, a payout, a fee). */
export function createLeg(sandbox: SandboxContext, plan: LegPlan): StoredResource {
  return sandbox.create(TRANSFERS, legBody(sandbox, plan), {
    memo: { leg: newLeg(sandbox, plan) },
  });
}

/** A leg starts: the money leaves a balance it comes from; a leg between balances settles. */
export function start(sandbox: SandboxContext, key: string): void {
  const leg = legOf(get(sandbox, key));
  if (!leg || leg.started) return;
  const from = get(sandbox, leg.from);
  const debited = from !== undefined && isBalance(from);
  if (debited) moveMoney(sandbox, leg.from, -leg.cents);
  save(sandbox, key, { started: true, debited });
  if (leg.clears === 'book') settle(sandbox, key);
}

/** A leg is processed: the money reaches a balance it goes to; the legs waiting for it start;
 * a payout to the receiver's bank follows. */
function settle(sandbox: SandboxContext, key: string, late?: Failure): void {
  const leg = legOf(get(sandbox, key));
  if (!leg) return;
  const to = get(sandbox, leg.to);
  const credited = to !== undefined && isBalance(to);
  if (credited) moveMoney(sandbox, leg.to, leg.cents);
  save(sandbox, key, { credited, late }, { status: 'processed' });
  announce(sandbox, key, 'completed');
  for (const next of leg.then) start(sandbox, next);
  const bank = leg.payout ? get(sandbox, leg.payout) : undefined;
  if (!bank || bank.body.removed === true) return;
  // What the receiver's fees left of it goes on to the bank.
  const fees = leg.then.map((k) => legOf(get(sandbox, k))).filter((l) => l?.from === leg.to);
  const cents = leg.cents - fees.reduce((sum, fee) => sum + (fee?.cents ?? 0), 0);
  if (cents <= 0) return;
  const payout = createLeg(sandbox, {
    from: leg.to,
    to: keyOf(bank),
    cents,
    kind: 'bank_transfer',
    parties: [partyOf(bank)],
    fundedBy: key,
  });
  save(sandbox, key, { funds: keyOf(payout) });
}

/** A leg fails with a return: what it did to balances is undone, it is `failed` with its
 * failure, and so are the legs that waited for it (the transfer a failed funding leg was for,
 * its fees); an R03 removes the bank. */
export function fail(sandbox: SandboxContext, key: string, failure: Failure): void {
  const transfer = get(sandbox, key);
  const leg = legOf(transfer);
  if (!transfer || !leg || !['pending', 'processed'].includes(String(transfer.body.status))) return;
  const negative = giveBack(sandbox, leg);
  save(
    sandbox,
    key,
    { failure, late: undefined, debited: false, credited: false },
    { status: 'failed' },
  );
  announce(sandbox, key, 'failed');
  // A late return can take back more than a customer's balance still holds (Dwolla staff).
  const owner = negative && partyOf(negative);
  if (owner) sandbox.event('customer_funding_source_negative', negative!, owner);
  for (const next of leg.then) fail(sandbox, next, failure);
  const bank = get(sandbox, failure.bank);
  if (removesBank(failure.code) && bank && bank.body.removed !== true) {
    sandbox.change(bank, { removed: true });
  }
}

/** Undoes what a leg did to balances; returns the balance that went below zero, if one did. */
function giveBack(sandbox: SandboxContext, leg: Leg): StoredResource | undefined {
  if (leg.debited) moveMoney(sandbox, leg.from, leg.cents);
  return leg.credited ? moveMoney(sandbox, leg.to, -leg.cents) : undefined;
}

/** Whether a leg can still be cancelled (Dwolla's `cancel` link): pending, not a fee. */
export function cancellable(transfer: StoredResource): boolean {
  return transfer.body.status === 'pending' && legOf(transfer)?.fee !== true;
}

/** Cancels a pending leg with the pending legs of its transfer (the funding leg before it, the
 * legs and fees after it), giving back what they took from balances. */
export function cancel(sandbox: SandboxContext, key: string): void {
  let root = key;
  for (;;) {
    const before = legOf(get(sandbox, root))?.waits;
    if (!before || get(sandbox, before)?.body.status !== 'pending') break;
    root = before;
  }
  const walk = (at: string) => {
    const transfer = get(sandbox, at);
    const leg = legOf(transfer);
    if (!transfer || !leg || transfer.body.status !== 'pending') return;
    giveBack(sandbox, leg);
    save(sandbox, at, { debited: false, credited: false }, { status: 'cancelled' });
    announce(sandbox, at, 'cancelled');
    for (const next of leg.then) walk(next);
  };
  walk(root);
}

/** The return a leg meets when it is processed: R01 on a bank it debits, R03 on a bank it
 * credits. */
function returnOf(sandbox: SandboxContext, leg: Leg): (Failure & { late: boolean }) | undefined {
  for (const [key, side] of [
    [leg.from, 'debit'],
    [leg.to, 'credit'],
  ] as const) {
    const fs = get(sandbox, key);
    const sentinel = fs && sentinelOf(fs, side);
    if (sentinel) return { code: sentinel.code, late: sentinel.late, bank: key };
  }
  return undefined;
}

/**
 * `POST /sandbox-simulations`: the last 500 bank legs that started and wait (oldest first) are
 * processed or fail with their bank's return, and returns due after settlement (`-late`) fail
 * the legs they were for. Legs that start because of it (the transfer after its funding leg, a
 * payout) wait for the next simulation. Returns how many it processed.
 */
export function simulate(sandbox: SandboxContext): number {
  const due = sandbox.store
    .list(TRANSFERS)
    .filter((t) => {
      const leg = legOf(t);
      if (!leg) return false;
      if (t.body.status === 'processed') return leg.late !== undefined;
      return t.body.status === 'pending' && leg.started && leg.clears === 'bank';
    })
    .slice(0, SIMULATED)
    .reverse()
    .map(keyOf);
  for (const key of due) {
    const transfer = get(sandbox, key);
    const leg = legOf(transfer);
    if (!transfer || !leg) continue;
    if (transfer.body.status === 'processed' && leg.late) fail(sandbox, key, leg.late);
    if (transfer.body.status !== 'pending') continue;
    const met = returnOf(sandbox, leg);
    if (met && !met.late) fail(sandbox, key, { code: met.code, bank: met.bank });
    else settle(sandbox, key, met && { code: met.code, bank: met.bank });
  }
  return due.length;
}
