import { DwollaError } from '../errors.js';

/**
 * The `X-Request-Signature-SHA-256` of a webhook does not match its raw body and the
 * subscription's secret (missing, malformed or wrong). Answer the delivery with a 4xx.
 */
export class DwollaWebhookSignatureError extends DwollaError {}

/** A correctly signed webhook whose body is not a Dwolla event (not JSON, or a field missing). */
export class DwollaWebhookPayloadError extends DwollaError {}
