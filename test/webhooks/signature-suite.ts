/**
 * The webhook signature checks, run twice: on plain Node (signature.test.ts) and with node:crypto
 * unavailable to the code under test (signature-web-crypto-only.test.ts). The oracle is
 * node:crypto's createHmac, handed in by each file, never the code under test.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Root from '../../src/index.js';

/** The exports under test: the package root's, or the webhook modules' own (Web Crypto only). */
export type WebhookApi = Pick<
  typeof Root,
  | 'DwollaError'
  | 'DwollaWebhookPayloadError'
  | 'DwollaWebhookSignatureError'
  | 'verifyWebhookEvent'
  | 'verifyWebhookSignature'
>;

/** hex(HMAC-SHA256(secret, bytes)), computed independently of the code under test. */
export type HmacHex = (secret: string, body: string | Uint8Array) => string;

const SECRET = 'webhook sécret ☃';
const EVENT = JSON.stringify({
  id: 'b8c9b7fb-b6bf-444d-a06b-cb55cb0ee7a2',
  resourceId: '266ae7de-6393-423b-a4ec-dec8028a9b5a',
  topic: 'customer_created',
  timestamp: '2017-01-21T16:19:35.319Z',
  _links: {
    self: { href: 'https://api-sandbox.dwolla.com/events/b8c9b7fb-b6bf-444d-a06b-cb55cb0ee7a2' },
    resource: {
      href: 'https://api-sandbox.dwolla.com/customers/266ae7de-6393-423b-a4ec-dec8028a9b5a',
    },
  },
  created: '2017-01-21T16:19:35.319Z',
});

function flipHexDigit(hex: string, at: number): string {
  const digit = hex[at] === '0' ? '1' : '0';
  return hex.slice(0, at) + digit + hex.slice(at + 1);
}

export function describeSignatureChecks(runtime: string, api: WebhookApi, hmacHex: HmacHex): void {
  const {
    DwollaError,
    DwollaWebhookPayloadError,
    DwollaWebhookSignatureError,
    verifyWebhookEvent,
    verifyWebhookSignature,
  } = api;
  describe(`webhook signatures (${runtime})`, () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    const valid = hmacHex(SECRET, EVENT);
    const bytes = new TextEncoder().encode(EVENT);

    it('verifies a string, a Buffer, a Uint8Array, a subarray view and an ArrayBuffer body', async () => {
      const padded = new Uint8Array(bytes.length + 8);
      padded.set(bytes, 4);
      for (const body of [
        EVENT,
        Buffer.from(EVENT, 'utf8'),
        bytes,
        padded.subarray(4, 4 + bytes.length),
        bytes.slice().buffer,
      ]) {
        await expect(
          verifyWebhookSignature({ body, signature: valid, secret: SECRET }),
        ).resolves.toBe(true);
      }
      await expect(
        verifyWebhookSignature({ body: EVENT, signature: valid.toUpperCase(), secret: SECRET }),
      ).resolves.toBe(true);
    });

    it('verifies a body in shared memory (a SharedArrayBuffer view)', async () => {
      const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
      shared.set(bytes);
      await expect(
        verifyWebhookSignature({ body: shared, signature: valid, secret: SECRET }),
      ).resolves.toBe(true);
    });

    it('says what is missing without Web Crypto, and when called without { body, signature, secret }', async () => {
      vi.stubGlobal('crypto', undefined);
      try {
        await expect(
          verifyWebhookSignature({ body: EVENT, signature: valid, secret: SECRET }),
        ).rejects.toThrow(/needs Web Crypto \(globalThis\.crypto\.subtle\)/);
      } finally {
        vi.unstubAllGlobals();
      }
      await expect(
        verifyWebhookSignature(
          undefined as unknown as Parameters<typeof verifyWebhookSignature>[0],
        ),
      ).rejects.toThrow(/pass \{ body, signature, secret \}/);
    });

    it('verifies bytes that are not valid UTF-8, exactly as received', async () => {
      const body = Uint8Array.from([0xff, 0x00, 0xc3, 0x28, 0x7b]);
      await expect(
        verifyWebhookSignature({ body, signature: hmacHex(SECRET, body), secret: SECRET }),
      ).resolves.toBe(true);
    });

    it('rejects a one-byte change anywhere in the body, a changed signature digit and a wrong secret', async () => {
      for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
        const changed = bytes.slice();
        changed[at] = changed[at]! ^ 0x01;
        await expect(
          verifyWebhookSignature({ body: changed, signature: valid, secret: SECRET }),
        ).resolves.toBe(false);
      }
      for (const at of [0, 31, 63]) {
        await expect(
          verifyWebhookSignature({
            body: EVENT,
            signature: flipHexDigit(valid, at),
            secret: SECRET,
          }),
        ).resolves.toBe(false);
      }
      await expect(
        verifyWebhookSignature({ body: EVENT, signature: valid, secret: `${SECRET}x` }),
      ).resolves.toBe(false);
      await expect(
        verifyWebhookSignature({ body: `${EVENT} `, signature: valid, secret: SECRET }),
      ).resolves.toBe(false);
    });

    it('resolves false, never throws, for a short, long, non-hex, empty, missing or repeated signature', async () => {
      const signatures: unknown[] = [
        valid.slice(0, 62),
        valid.slice(0, 63),
        `${valid}00`,
        `${valid.slice(0, 63)}g`,
        `sha256=${valid}`,
        ` ${valid}`,
        '',
        undefined,
        null,
        [valid],
        [valid, valid],
        64,
      ];
      for (const signature of signatures) {
        await expect(
          verifyWebhookSignature({
            body: EVENT,
            signature: signature as string,
            secret: SECRET,
          }),
          String(signature),
        ).resolves.toBe(false);
      }
    });

    it('refuses a parsed object with a TypeError saying re-serialised JSON does not match', async () => {
      const parsed = JSON.parse(EVENT) as unknown as string;
      const error = await verifyWebhookSignature({
        body: parsed,
        signature: valid,
        secret: SECRET,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/re-serialised JSON does not match/);
      expect((error as Error).message).toMatch(/express\.raw/);
      for (const body of [undefined, null, 42]) {
        await expect(
          verifyWebhookSignature({
            body: body as unknown as string,
            signature: valid,
            secret: SECRET,
          }),
        ).rejects.toThrow(TypeError);
      }
      await expect(
        verifyWebhookSignature({ body: EVENT, signature: valid, secret: '' }),
      ).rejects.toThrow(/secret must be/);
    });

    it('compares in constant time with crypto.subtle.verify (HMAC), never by comparing strings or bytes itself', async () => {
      const subtle = globalThis.crypto.subtle;
      const verify = vi.spyOn(subtle, 'verify');
      const sign = vi.spyOn(subtle, 'sign');
      await expect(
        verifyWebhookSignature({ body: EVENT, signature: valid, secret: SECRET }),
      ).resolves.toBe(true);
      await expect(
        verifyWebhookSignature({ body: EVENT, signature: flipHexDigit(valid, 5), secret: SECRET }),
      ).resolves.toBe(false);
      expect(verify).toHaveBeenCalledTimes(2);
      expect(verify.mock.calls.map((call) => call[0])).toEqual(['HMAC', 'HMAC']);
      expect(sign).not.toHaveBeenCalled();
      // The answer is Web Crypto's: if verify says no, a correct signature is refused too.
      verify.mockResolvedValueOnce(false);
      await expect(
        verifyWebhookSignature({ body: EVENT, signature: valid, secret: SECRET }),
      ).resolves.toBe(false);
    });

    it('agrees with node:crypto on any body, secret and one-bit change (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 512 }),
          fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
          fc.nat(),
          async (body, secret, flip) => {
            const signature = hmacHex(secret, body);
            expect(await verifyWebhookSignature({ body, signature, secret })).toBe(true);
            if (body.length > 0) {
              const changed = body.slice();
              changed[flip % body.length]! ^= 1 << (flip % 8);
              expect(await verifyWebhookSignature({ body: changed, signature, secret })).toBe(
                false,
              );
            }
          },
        ),
        { numRuns: 100 },
      );
    });

    describe('verifyWebhookEvent', () => {
      it('verifies and parses into a typed event', async () => {
        const event = await verifyWebhookEvent({
          body: Buffer.from(EVENT),
          signature: valid,
          secret: SECRET,
        });
        expect(event.id).toBe('b8c9b7fb-b6bf-444d-a06b-cb55cb0ee7a2');
        expect(event.topic).toBe('customer_created');
        expect(event.timestamp).toBe('2017-01-21T16:19:35.319Z');
        expect(event.created).toBe('2017-01-21T16:19:35.319Z');
        expect(event._links.resource.href).toMatch(/\/customers\/266ae7de-/);
      });

      it("takes Dwolla's current payload (created, no timestamp) and an older one (timestamp only)", async () => {
        const { timestamp, created, ...rest } = JSON.parse(EVENT) as Record<string, unknown>;
        const current = JSON.stringify({ ...rest, created: '2026-12-02T04:00:00.000Z' });
        const older = JSON.stringify({ ...rest, timestamp });
        const parse = (body: string) =>
          verifyWebhookEvent({ body, signature: hmacHex(SECRET, body), secret: SECRET });
        const now = await parse(current);
        expect(now.created).toBe('2026-12-02T04:00:00.000Z');
        expect(now.timestamp).toBeUndefined();
        expect((await parse(older)).created).toBe(timestamp);
        expect(created).toBe(timestamp);
      });

      it('throws a DwollaWebhookSignatureError (a DwollaError) on a bad or missing signature', async () => {
        for (const signature of [flipHexDigit(valid, 0), undefined]) {
          const error = await verifyWebhookEvent({ body: EVENT, signature, secret: SECRET }).catch(
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(DwollaWebhookSignatureError);
          expect(error).toBeInstanceOf(DwollaError);
          expect((error as Error).message).not.toContain(SECRET);
        }
      });

      it('throws a DwollaWebhookPayloadError for a signed body that is not an event', async () => {
        const bodies = [
          'not json',
          '[1,2]',
          JSON.stringify({ ...JSON.parse(EVENT), topic: 7 }),
          JSON.stringify({ ...JSON.parse(EVENT), _links: {} }),
          JSON.stringify({ ...JSON.parse(EVENT), created: 7 }),
          JSON.stringify({ ...JSON.parse(EVENT), timestamp: 7 }),
          JSON.stringify({ ...JSON.parse(EVENT), timestamp: undefined, created: undefined }),
        ];
        for (const body of bodies) {
          const error = await verifyWebhookEvent({
            body,
            signature: hmacHex(SECRET, body),
            secret: SECRET,
          }).catch((e: unknown) => e);
          expect(error, body).toBeInstanceOf(DwollaWebhookPayloadError);
        }
      });
    });
  });
}
