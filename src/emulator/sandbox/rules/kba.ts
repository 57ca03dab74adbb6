import type { FamilyRules } from '../family.js';

/** Knowledge-based authentication of a customer: sessions, questions, answers. */
export const kba: FamilyRules = {
  types: ['kba'],
};
