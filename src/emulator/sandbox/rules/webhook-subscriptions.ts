import { isLoopback } from '../../events/webhooks.js';
import { ValidationError } from '../errors.js';
import type { FamilyRules } from '../family.js';

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
    draft.secret = String(draft.given.secret ?? '');
  },
  // Subscriptions are not events themselves.
  createdTopics: () => [],
};
