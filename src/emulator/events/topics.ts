import { singular } from '../answer/resource-links.js';
import type { StoredResource } from '../sandbox/store.js';

/**
 * Dwolla's webhook topic names (developers.dwolla.com, "Webhook events"): the spec does not list
 * them. A family's own topics (a customer verified, a transfer completed) are named by its rules
 * (sandbox/rules/); this is the default for the rest.
 */

/** `customers` → `customer`, `funding-sources` → `funding_source` (as Dwolla's topics name them). */
export const snakeSingular = (type: string) => singular(type).replaceAll('-', '_');

/** Whether a resource was created under a customer (its topics start `customer_`). */
export const underCustomer = (r: StoredResource) => r.parent?.startsWith('customers/') === true;

/** The topic of a creation a family names none for: `[customer_]<name>_created`. */
export function createdTopic(resource: StoredResource): string {
  return `${underCustomer(resource) ? 'customer_' : ''}${snakeSingular(resource.type)}_created`;
}
