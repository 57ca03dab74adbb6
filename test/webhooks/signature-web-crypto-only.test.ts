// Webhook signatures with node:crypto unavailable to the code under test, as on Workers, Deno
// or Bun: any import of node:crypto (or crypto) fails. Only this file's oracle reaches the real
// module, through vi.importActual. The webhook modules are imported themselves (not through the
// package root), so what is proven is that they, and everything they import, need Web Crypto only.
import { expect, it, vi } from 'vitest';
import { DwollaError } from '../../src/errors.js';
import { verifyWebhookSignature } from '../../src/webhooks/verify-signature.js';
import {
  DwollaWebhookPayloadError,
  DwollaWebhookSignatureError,
} from '../../src/webhooks/webhook-errors.js';
import { verifyWebhookEvent } from '../../src/webhooks/webhook-event.js';
import { describeSignatureChecks } from './signature-suite.js';

vi.mock('node:crypto', () => {
  throw new Error('node:crypto is unavailable on this runtime (Web Crypto only)');
});
vi.mock('crypto', () => {
  throw new Error('crypto is unavailable on this runtime (Web Crypto only)');
});

const nodeCrypto = await vi.importActual<typeof import('node:crypto')>('node:crypto');

it('runs with node:crypto unavailable (the mock is in force)', async () => {
  const error = (await import('node:crypto').catch((e: unknown) => e)) as Error;
  expect(error).toBeInstanceOf(Error);
  expect(String((error.cause as Error | undefined)?.message)).toMatch(/unavailable/);
});

const api = {
  DwollaError,
  DwollaWebhookPayloadError,
  DwollaWebhookSignatureError,
  verifyWebhookEvent,
  verifyWebhookSignature,
};

describeSignatureChecks('Web Crypto only, node:crypto unavailable', api, (secret, body) =>
  nodeCrypto.createHmac('sha256', secret).update(body).digest('hex'),
);
