import type { StoredResource } from '../store.js';

/**
 * ACH returns in Dwolla's Sandbox (developers.dwolla.com/docs/balance/testing/transfers): a bank
 * funding source named for a return code fails the transfers that reach it when a simulation
 * processes them. `R01` (insufficient funds) fails the debit from the bank, `R03` (no account)
 * the credit to it and removes the bank; `-late` fails them one simulation later, after they
 * were processed (a return after settlement).
 */

export type ReturnCode = 'R01' | 'R03';

/** What Dwolla says of a return (`GET /transfers/{id}/failure`). */
const DESCRIPTIONS: Record<ReturnCode, { description: string; explanation: string }> = {
  R01: {
    description: 'Insufficient Funds',
    explanation:
      'Available balance is not sufficient to cover the dollar value of the debit entry.',
  },
  R03: {
    description: 'No Account/Unable to Locate Account',
    explanation:
      'The account number structure is valid, but the account number does not correspond to the individual identified in the entry or a valid account.',
  },
};

/** A return a bank sentinel asks for, and whether it comes after settlement. */
export type Sentinel = { code: ReturnCode; late: boolean };

/** The side of a transfer a return hits: R01 a debit from the bank, R03 a credit to it. */
const SIDE: Record<ReturnCode, 'debit' | 'credit'> = { R01: 'debit', R03: 'credit' };

/**
 * The return a bank's name asks for, when it moves money on `side`: its name is the code (or
 * the code and `-late`), ignoring case and surrounding spaces.
 */
export function sentinelOf(bank: StoredResource, side: 'debit' | 'credit'): Sentinel | undefined {
  if (bank.body.type !== 'bank' || typeof bank.body.name !== 'string') return undefined;
  const match = /^(R0[13])(-LATE)?$/.exec(bank.body.name.trim().toUpperCase());
  const code = match?.[1] as ReturnCode | undefined;
  return code && SIDE[code] === side ? { code, late: match![2] !== undefined } : undefined;
}

/** Whether a return takes the bank away (R03: the account does not exist). */
export const removesBank = (code: ReturnCode) => code === 'R03';

/** The failure's fields, as `GET /transfers/{id}/failure` answers them (with its links). */
export function describeReturn(code: ReturnCode): {
  code: ReturnCode;
  description: string;
  explanation: string;
} {
  return { code, ...DESCRIPTIONS[code] };
}
