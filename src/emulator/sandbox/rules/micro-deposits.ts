import { halLink } from '../../answer/resource-links.js';
import { isRecord } from '../../spec/spec-pointer.js';
import { InvalidResourceStateError, NotFoundError, ValidationError } from '../errors.js';
import type { SandboxContext } from '../family.js';
import type { StoredResource } from '../store.js';
import { FUNDING_SOURCES, isBank, partyOf, topicPrefix, toCents } from './balances.js';
import { describeReturn, sentinelOf } from './returns.js';

/**
 * Micro-deposits in Dwolla's Sandbox (developers.dwolla.com/docs/balance/testing/funding-sources,
 * /docs/balance/micro-deposit-verification): initiating them leaves them pending until a
 * simulation processes them (a bank named R03 has no account: they fail, and it is removed);
 * any two amounts under $0.10 verify the bank at once, `0.09` and `0.09` use up its attempts.
 */
export type MicroDeposits = {
  status: 'pending' | 'processed' | 'failed';
  created: string;
  /** Wrong amounts sent so far; at MAX_ATTEMPTS the bank can no longer be verified this way. */
  attempts: number;
  failure?: { code: string; description: string };
};

/** Dwolla's limit: the third wrong pair of amounts is the last. */
export const MAX_ATTEMPTS = 3;
/** Amounts below this verify in the Sandbox. */
const SANDBOX_CEILING_CENTS = 10;
/** The pair that exhausts the attempts at once. */
const USE_UP = 9;

export function microDepositsOf(fs: StoredResource): MicroDeposits | undefined {
  const found = fs.memo?.microDeposits;
  return isRecord(found) ? (found as MicroDeposits) : undefined;
}

/** `[customer_]microdeposits_<what>`, the funding source's event. */
function announce(sandbox: SandboxContext, fs: StoredResource, what: string): void {
  const party = partyOf(fs);
  sandbox.event(`${topicPrefix(party)}microdeposits_${what}`, fs, party);
}

function remember(
  sandbox: SandboxContext,
  fs: StoredResource,
  microDeposits: MicroDeposits,
  changes: Record<string, unknown> = {},
): StoredResource {
  return sandbox.change({ ...fs, memo: { ...fs.memo, microDeposits } }, changes);
}

/** Refuses what a bank's state does not allow (removed, already verified). */
function mustBeUnverifiedBank(fs: StoredResource): void {
  if (!isBank(fs)) {
    throw new InvalidResourceStateError('Only a bank funding source can be verified.');
  }
  if (fs.body.removed === true) throw new InvalidResourceStateError('The bank was removed.');
  if (fs.body.status === 'verified') throw new InvalidResourceStateError('Bank already verified.');
}

/** `POST /funding-sources/{id}/micro-deposits` without a body: two deposits on their way. */
export function initiate(sandbox: SandboxContext, fs: StoredResource): void {
  mustBeUnverifiedBank(fs);
  if (microDepositsOf(fs)) {
    throw new InvalidResourceStateError('Micro-deposits already initiated.');
  }
  const created = new Date(sandbox.now()).toISOString();
  const stored = remember(sandbox, fs, { status: 'pending', created, attempts: 0 });
  announce(sandbox, stored, 'added');
}

/** `POST /funding-sources/{id}/micro-deposits` with `amount1` and `amount2`: the answer when
 * they verify the bank; a ValidationError when they are wrong (one attempt used). */
export function verify(
  sandbox: SandboxContext,
  fs: StoredResource,
  body: Record<string, unknown>,
  href: string,
): Record<string, unknown> {
  mustBeUnverifiedBank(fs);
  const deposits = microDepositsOf(fs);
  if (!deposits) throw new NotFoundError();
  if (deposits.attempts >= MAX_ATTEMPTS) throw new InvalidResourceStateError('Too many attempts.');
  const amounts = ['amount1', 'amount2'].map((name) => {
    const amount = body[name];
    return toCents(isRecord(amount) ? amount.value : undefined);
  });
  const right = amounts.every((c) => c !== undefined && c < SANDBOX_CEILING_CENTS);
  if (right && !amounts.every((c) => c === USE_UP)) {
    remember(sandbox, fs, deposits, { status: 'verified' });
    return { _links: { self: halLink(href, 'micro-deposits') } };
  }
  const attempts = amounts.every((c) => c === USE_UP) ? MAX_ATTEMPTS : deposits.attempts + 1;
  const stored = remember(sandbox, fs, { ...deposits, attempts });
  if (attempts >= MAX_ATTEMPTS) announce(sandbox, stored, 'maxattempts');
  throw new ValidationError([
    { code: 'Invalid', message: 'Wrong amount(s).', path: '/amount1/value' },
  ]);
}

/** `GET /funding-sources/{id}/micro-deposits`. */
export function details(fs: StoredResource, href: string): Record<string, unknown> {
  const deposits = microDepositsOf(fs);
  if (!deposits) throw new NotFoundError();
  const links: Record<string, unknown> = { self: halLink(href, 'micro-deposits') };
  if (canVerify(fs)) links['verify-micro-deposits'] = halLink(href, 'micro-deposits');
  const { status, created, failure } = deposits;
  return { _links: links, created, status, ...(failure ? { failure } : {}) };
}

/** Whether a bank's micro-deposits may still be verified. */
export function canVerify(fs: StoredResource): boolean {
  const deposits = microDepositsOf(fs);
  return (
    deposits !== undefined &&
    deposits.attempts < MAX_ATTEMPTS &&
    fs.body.status !== 'verified' &&
    fs.body.removed !== true
  );
}

/** `POST /sandbox-simulations`: pending micro-deposits are processed (completed), or fail with
 * R03 where the bank is named for it, which removes the bank. Returns how many. */
export function simulate(sandbox: SandboxContext): number {
  let processed = 0;
  for (const fs of sandbox.store.list(FUNDING_SOURCES).reverse()) {
    const deposits = microDepositsOf(fs);
    if (deposits?.status !== 'pending' || fs.body.removed === true) continue;
    processed++;
    const sentinel = sentinelOf(fs, 'credit');
    if (!sentinel || sentinel.late) {
      announce(sandbox, remember(sandbox, fs, { ...deposits, status: 'processed' }), 'completed');
      continue;
    }
    const { code, description } = describeReturn(sentinel.code);
    const failed = remember(sandbox, fs, {
      ...deposits,
      status: 'failed',
      failure: { code, description },
    });
    announce(sandbox, failed, 'failed');
    sandbox.change(failed, { removed: true });
  }
  return processed;
}
