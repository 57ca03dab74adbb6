import { isLoopback } from '../../events/webhooks.js';
import { MaxNumberOfResourcesError, ValidationError } from '../errors.js';
import type { FamilyRules } from '../family.js';
import { SUBSCRIPTIONS } from '../resource-model.js';

/** Subscriptions an application may have in Dwolla's Sandbox (production allows 5). */
const MAX_SUBSCRIPTIONS = 10;

/** Webhook subscriptions: where events are delivered, and the secret that signs them. */
export const webhookSubscriptions: FamilyRules = {
  types: ['webhook-subscriptions'],
  creating(draft, sandbox) {
    if (!sandbox.allowAnyHost && !isLoopback(String(draft.given.url))) {
      throw new ValidationError([
        {
          code: 'Invalid',
          message:
            'url must be a loopback address (127.0.0.0/8, [::1], localhost): the emulator delivers only there unless started with webhooks.allowAnyHost.',
          path: '/url',
        },
      ]);
    }
    if (sandbox.store.list(SUBSCRIPTIONS).length >= MAX_SUBSCRIPTIONS) {
      throw new MaxNumberOfResourcesError('The maximum number of subscriptions has been reached.');
    }
    draft.secret = String(draft.given.secret ?? '');
  },
  // Subscriptions are not events themselves.
  createdTopics: () => [],
};
