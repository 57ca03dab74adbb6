import { createdTopic } from '../../events/topics.js';
import { isRecord } from '../../spec/spec-pointer.js';
import type { FamilyRules } from '../family.js';

/** Dwolla's topics for a transfer's new status. */
const STATUS_TOPICS: Record<string, string> = {
  processed: 'transfer_completed',
  failed: 'transfer_failed',
  cancelled: 'transfer_cancelled',
};
/** Dwolla's sandbox fails a bank transfer whose funding source is named for an ACH return code. */
const RETURN_CODE = /^R\d{2}$/;
/** Pending transfers one simulation processes (as Dwolla: the last 500). */
const SIMULATED = 500;

/** Transfers (and mass payments): pending until a simulation processes or fails them. */
export const transfers: FamilyRules = {
  types: ['transfers', 'mass-payments'],
  defaults: { status: 'pending' },
  createdTopics: (r) => [r.type === 'transfers' ? 'transfer_created' : createdTopic(r)],
  updatedTopics(before, after) {
    const now = after.body.status;
    if (after.type !== 'transfers' || now === before.body.status || typeof now !== 'string') {
      return [];
    }
    return STATUS_TOPICS[now] ? [STATUS_TOPICS[now]] : [];
  },
  simulate(sandbox) {
    const pending = sandbox.store
      .list('transfers')
      .filter((t) => t.body.status === 'pending')
      .slice(0, SIMULATED);
    for (const transfer of pending.reverse()) {
      const links = isRecord(transfer.body._links) ? transfer.body._links : {};
      const fails = Object.values(links).some((l) => {
        const name = isRecord(l) ? sandbox.store.byHref(l.href)?.body.name : undefined;
        return typeof name === 'string' && RETURN_CODE.test(name);
      });
      sandbox.change(transfer, { status: fails ? 'failed' : 'processed' });
    }
    return pending.length;
  },
};
