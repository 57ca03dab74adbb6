import { snakeSingular, underCustomer } from '../../events/topics.js';
import type { FamilyRules } from '../family.js';

/** Funding sources (banks, balances): added and removed. */
export const fundingSources: FamilyRules = {
  types: ['funding-sources'],
  createdTopics: (r) => [`${underCustomer(r) ? 'customer_' : ''}${snakeSingular(r.type)}_added`],
  updatedTopics(before, after) {
    if (after.body.removed !== true || before.body.removed === true) return [];
    return [`${underCustomer(after) ? 'customer_' : ''}funding_source_removed`];
  },
};
