import type { FamilyRules } from '../family.js';
import { beneficialOwners } from './beneficial-owners.js';
import { customers } from './customers.js';
import { documents } from './documents.js';
import { fundingSources } from './funding-sources.js';
import { kba } from './kba.js';
import { transfers } from './transfers.js';
import { webhookSubscriptions } from './webhook-subscriptions.js';

/** Every family's rules, one module each. */
export const FAMILIES: readonly FamilyRules[] = [
  customers,
  beneficialOwners,
  fundingSources,
  transfers,
  kba,
  documents,
  webhookSubscriptions,
];

const NONE: FamilyRules = { types: [] };

/** The rules of the family a type belongs to (none: the generic behaviour). */
export function rulesOf(type: string): FamilyRules {
  return FAMILIES.find((family) => family.types.includes(type)) ?? NONE;
}
