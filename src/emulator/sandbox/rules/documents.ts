import type { FamilyRules } from '../family.js';

/** Identity documents uploaded for a customer or beneficial owner. */
export const documents: FamilyRules = {
  types: ['documents'],
};
