import { rawBodyBytes, type WebhookRawBody } from './raw-body.js';

/** What `verifyWebhookSignature` and `verifyWebhookEvent` check. */
export interface VerifyWebhookSignatureInput {
  /** The raw request body as received: string, Buffer, Uint8Array or ArrayBuffer (never parsed JSON). */
  body: WebhookRawBody;
  /** The `X-Request-Signature-SHA-256` header value (hex). Missing or malformed → false. */
  signature: string | readonly string[] | null | undefined;
  /** The secret given when the webhook subscription was created. */
  secret: string;
}

/** SHA-256 output as hex: exactly 64 hex digits. */
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function subtleCrypto(): SubtleCrypto {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) {
    throw new TypeError(
      'verifyWebhookSignature needs Web Crypto (globalThis.crypto.subtle): Node 20+, Deno, Bun and Workers have it',
    );
  }
  return subtle;
}

/**
 * Checks Dwolla's webhook signature: `hex(HMAC-SHA256(secret, raw body))`.
 *
 * Web Crypto only (globalThis.crypto.subtle; this module never imports node:crypto), so it runs
 * on Node, Deno, Bun and Workers alike. The comparison is `crypto.subtle.verify('HMAC', …)`,
 * which compares the expected and given MACs in constant time; nothing here compares them
 * itself. A missing, empty, wrong-length or non-hex signature resolves false (its length is
 * not secret); only a misused `body` or `secret` throws a TypeError.
 */
export async function verifyWebhookSignature(input: VerifyWebhookSignatureInput): Promise<boolean> {
  const where = 'verifyWebhookSignature';
  if (typeof input !== 'object' || input === null) {
    throw new TypeError(`${where}: pass { body, signature, secret }`);
  }
  const { body, signature, secret } = input;
  const data = rawBodyBytes(body, where);
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError(
      `${where}: secret must be the webhook subscription's secret, a non-empty string`,
    );
  }
  if (typeof signature !== 'string' || !HEX_SHA256.test(signature)) return false;

  const subtle = subtleCrypto();
  const key = await subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  return subtle.verify('HMAC', key, hexToBytes(signature), data);
}
