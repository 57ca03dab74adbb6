/** What a webhook handler may pass as the body: the bytes exactly as received. */
export type WebhookRawBody = string | Uint8Array | ArrayBuffer;

const REQUIREMENT =
  'must be the raw request body exactly as received (a string, Buffer, Uint8Array or ArrayBuffer)';

/**
 * The bytes Dwolla signed. A parsed object is refused: JSON.stringify(req.body) does not
 * reproduce Dwolla's bytes (key order, spacing, escapes, number formats), so its signature
 * would never match and the mistake would look like forged webhooks.
 */
export function rawBodyBytes(body: unknown, where: string): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (ArrayBuffer.isView(body)) {
    const view = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    // Web Crypto takes no SharedArrayBuffer views: those (rare) are copied.
    return view.buffer instanceof ArrayBuffer ? (view as Uint8Array<ArrayBuffer>) : view.slice();
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === 'object' && body !== null) {
    throw new TypeError(
      `${where}: body ${REQUIREMENT}, not a parsed object: re-serialised JSON does not match the bytes Dwolla signed. ` +
        "Read the body raw (express.raw({ type: 'application/json' }), await request.text(), or the node:http chunks).",
    );
  }
  throw new TypeError(`${where}: body ${REQUIREMENT}, got ${body === null ? 'null' : typeof body}`);
}
