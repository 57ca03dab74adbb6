import type { FamilyRules } from '../family.js';

/** Dwolla's topics for a customer's new status (developers.dwolla.com, "Webhook events"). */
const STATUS_TOPICS: Record<string, string> = {
  verified: 'customer_verified',
  suspended: 'customer_suspended',
  deactivated: 'customer_deactivated',
  document: 'customer_verification_document_needed',
  retry: 'customer_reverification_needed',
  kba: 'customer_kba_verification_needed',
};

/** Customers: verification statuses and their events. */
export const customers: FamilyRules = {
  types: ['customers'],
  updatedTopics(before, after) {
    const was = before.body.status;
    const now = after.body.status;
    if (now === was || typeof now !== 'string') return [];
    const reactivated = was === 'deactivated' || was === 'suspended';
    const topic = STATUS_TOPICS[now] ?? (reactivated ? 'customer_reactivated' : undefined);
    return topic ? [topic] : [];
  },
};
