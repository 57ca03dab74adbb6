import type { StoredResource } from './store.js';

/**
 * Dwolla's webhook topic names for the state changes the emulator makes (developers.dwolla.com,
 * "Webhook events"). The spec does not list them; these are Dwolla's documented names.
 */
const CUSTOMER_STATUS_TOPICS: Record<string, string> = {
  verified: 'customer_verified',
  suspended: 'customer_suspended',
  deactivated: 'customer_deactivated',
  document: 'customer_verification_document_needed',
  retry: 'customer_reverification_needed',
  kba: 'customer_kba_verification_needed',
};
const TRANSFER_STATUS_TOPICS: Record<string, string> = {
  processed: 'transfer_completed',
  failed: 'transfer_failed',
  cancelled: 'transfer_cancelled',
};
/** Types whose changes are not events (the emulator's own records, and subscriptions). */
const SILENT = new Set(['events', 'webhooks', 'webhook-subscriptions', 'retries']);

/** `customers` → `customer`, `funding-sources` → `funding_source` (as Dwolla's topics name them). */
export function singular(type: string): string {
  return type.replace(/ies$/, 'y').replace(/s$/, '');
}
const snake = (type: string) => singular(type).replaceAll('-', '_');
const underCustomer = (r: StoredResource) => r.parent?.startsWith('customers/') === true;

/** The topic of a resource's creation: customer_created, customer_funding_source_added, … */
export function createdTopic(resource: StoredResource): string | undefined {
  if (SILENT.has(resource.type)) return undefined;
  if (resource.type === 'transfers') return 'transfer_created';
  const verb = resource.type === 'funding-sources' ? 'added' : 'created';
  return `${underCustomer(resource) ? 'customer_' : ''}${snake(resource.type)}_${verb}`;
}

/** The topics of an update: a customer's or transfer's new status, a funding source removed. */
export function updatedTopics(before: StoredResource, after: StoredResource): string[] {
  const was = before.body;
  const now = after.body;
  const topics: string[] = [];
  if (now.status !== was.status && typeof now.status === 'string') {
    if (after.type === 'customers') {
      const reactivated = was.status === 'deactivated' || was.status === 'suspended';
      const topic = CUSTOMER_STATUS_TOPICS[now.status] ?? (reactivated && 'customer_reactivated');
      if (topic) topics.push(topic);
    }
    if (after.type === 'transfers' && TRANSFER_STATUS_TOPICS[now.status]) {
      topics.push(TRANSFER_STATUS_TOPICS[now.status]!);
    }
  }
  if (after.type === 'funding-sources' && now.removed === true && was.removed !== true) {
    topics.push(`${underCustomer(after) ? 'customer_' : ''}funding_source_removed`);
  }
  return topics;
}
