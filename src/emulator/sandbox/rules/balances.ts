import { isRecord } from '../../spec/spec-pointer.js';
import type { SandboxContext } from '../family.js';
import { splitKey, type Store, type StoredResource } from '../store.js';

/**
 * Who holds money in the sandbox and how much: the parties of a transfer (the account, or a
 * customer), their Dwolla balances, and amounts in whole cents.
 */

export const FUNDING_SOURCES = 'funding-sources';
export const TRANSFERS = 'transfers';
export const CUSTOMERS = 'customers';

/** What a balance funding source remembers: its money, in cents, and when it last moved. */
export type BalanceMemo = { balance: number; updated: string };

/** The owner of a funding source: a customer (`customers/<id>`), or null for the account. */
export type Party = string | null;

export const keyOf = (r: StoredResource) => `${r.type}/${r.id}`;

export const partyOf = (fs: StoredResource): Party => fs.parent ?? null;

/** The customer a party is (undefined for the account). */
export function customerOf(sandbox: SandboxContext, party: Party): StoredResource | undefined {
  return party === null ? undefined : sandbox.store.get(...splitKey(party));
}

/** A party's href: `/customers/<id>`, or the account's `/accounts/<id>`. */
export function partyHref(sandbox: SandboxContext, party: Party): string {
  return `${sandbox.origin()}/${party ?? `accounts/${sandbox.accountId}`}`;
}

/** `customer_` for a customer's events, none for the account's own (Dwolla's topic names). */
export const topicPrefix = (party: Party) => (party === null ? '' : 'customer_');

export const isBalance = (fs: StoredResource) => fs.body.type === 'balance';
export const isBank = (fs: StoredResource) => fs.body.type === 'bank';

/** A party's Dwolla balance (a funding source of type `balance`), if it has one: the account
 * always, a customer once verified. */
export function balanceOf(
  { store }: { store: Pick<Store, 'list'> },
  party: Party,
): StoredResource | undefined {
  return store
    .list(FUNDING_SOURCES)
    .find((fs) => isBalance(fs) && (fs.parent ?? null) === party && fs.body.removed !== true);
}

/** The cents a balance funding source holds. */
export function centsIn(fs: StoredResource): number {
  const memo = fs.memo as Partial<BalanceMemo> | undefined;
  return typeof memo?.balance === 'number' ? memo.balance : 0;
}

/** Adds `cents` (negative: takes them) to a balance funding source; it may go below zero (a
 * late return taking back what was already paid on). Returns the balance when this move took it
 * below zero. */
export function moveMoney(
  sandbox: SandboxContext,
  key: string,
  cents: number,
): StoredResource | undefined {
  const fs = sandbox.store.get(...splitKey(key));
  if (!fs || !isBalance(fs)) return undefined;
  const memo: BalanceMemo = {
    balance: centsIn(fs) + cents,
    updated: new Date(sandbox.now()).toISOString(),
  };
  const moved = sandbox.change({ ...fs, memo: { ...fs.memo, ...memo } }, {});
  return centsIn(fs) >= 0 && memo.balance < 0 ? moved : undefined;
}

/** A decimal amount (`"12.345"`) in whole cents, half to even past the second decimal, as
 * Dwolla rounds; undefined when it is not a positive decimal number. */
export function toCents(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const [whole = '0', fraction = ''] = value.trim().split('.');
  const cents = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  const rest = fraction.slice(2);
  const half = rest === '' ? 0 : Math.sign(Number(`0.${rest}`) - 0.5);
  const rounded = half > 0 || (half === 0 && rest !== '' && cents % 2 === 1) ? cents + 1 : cents;
  return Number.isSafeInteger(rounded) && rounded > 0 ? rounded : undefined;
}

/** Cents as Dwolla writes an amount's value: `"5000.00"`, `"-0.25"`. */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `{ value, currency }` of a number of cents, in US dollars. */
export const usd = (cents: number) => ({ value: fromCents(cents), currency: 'USD' });

/** The answer of `GET /funding-sources/{id}/balance` for a balance funding source. */
export function balanceAnswer(fs: StoredResource, href: string): Record<string, unknown> {
  const self = isRecord(fs.body._links) ? fs.body._links.self : undefined;
  const memo = fs.memo as Partial<BalanceMemo> | undefined;
  return {
    _links: {
      self: { href, type: 'application/vnd.dwolla.v1.hal+json', 'resource-type': 'balance' },
      'funding-source': self,
    },
    balance: usd(centsIn(fs)),
    total: usd(centsIn(fs)),
    lastUpdated: memo?.updated ?? fs.body.created,
  };
}
