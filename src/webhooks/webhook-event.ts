import { isObject, parseJson } from '../json.js';
import { rawBodyBytes } from './raw-body.js';
import { verifyWebhookSignature, type VerifyWebhookSignatureInput } from './verify-signature.js';
import { DwollaWebhookPayloadError, DwollaWebhookSignatureError } from './webhook-errors.js';

/** A HAL link, as in `_links`. */
export interface DwollaHalLink {
  /** The linked resource's URL. */
  href: string;
  [field: string]: unknown;
}

/** One webhook delivery: a Dwolla event (the same shape as GET /events/{id}). */
export interface DwollaWebhookEvent {
  /** The event id: the same event may be delivered more than once, dedupe on it. */
  id: string;
  /** The id of the resource the event is about. */
  resourceId: string;
  /** e.g. 'customer_created', 'transfer_completed'. */
  topic: string;
  /** When the event happened (ISO 8601), as `GET /events/{id}` gives it; filled from
   * `timestamp` for an older payload that has only that. */
  created: string;
  /** Older payloads' name for `created` (ISO 8601), when the delivery has it. */
  timestamp?: string;
  /** The event's links: `resource` always, `self`, `account`, `customer` when given. */
  _links: {
    /** The resource the event is about: `dwolla.get(event._links.resource)` fetches it. */
    resource: DwollaHalLink;
    /** The event itself. */
    self?: DwollaHalLink;
    /** The Dwolla account the event belongs to. */
    account?: DwollaHalLink;
    /** The customer the event is about, if any. */
    customer?: DwollaHalLink;
    [relation: string]: DwollaHalLink | undefined;
  };
  [field: string]: unknown;
}

const WHERE = 'verifyWebhookEvent';

function payloadError(problem: string): DwollaWebhookPayloadError {
  return new DwollaWebhookPayloadError(`${WHERE}: the webhook is signed but ${problem}`);
}

function toEvent(text: string): DwollaWebhookEvent {
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) throw payloadError('its body is not a JSON object');
  const event = parsed.value;
  for (const field of ['id', 'resourceId', 'topic'] as const) {
    if (typeof event[field] !== 'string') throw payloadError(`its "${field}" is not a string`);
  }
  // Dwolla's events carry `created`; older webhook payloads `timestamp` (also, or instead).
  for (const field of ['created', 'timestamp'] as const) {
    if (field in event && typeof event[field] !== 'string') {
      throw payloadError(`its "${field}" is not a string`);
    }
  }
  event.created ??= event.timestamp;
  if (event.created === undefined) throw payloadError('it has neither "created" nor "timestamp"');
  const links = event._links;
  if (!isObject(links) || !isObject(links.resource) || typeof links.resource.href !== 'string') {
    throw payloadError('its "_links.resource.href" is not a string');
  }
  return event as DwollaWebhookEvent;
}

/**
 * Verifies the signature (as verifyWebhookSignature), then parses the body into a typed event.
 * A bad signature is a DwollaWebhookSignatureError (answer 401 and ignore the body); a signed
 * body that is not an event is a DwollaWebhookPayloadError.
 */
export async function verifyWebhookEvent(
  input: VerifyWebhookSignatureInput,
): Promise<DwollaWebhookEvent> {
  if (!(await verifyWebhookSignature(input))) {
    throw new DwollaWebhookSignatureError(
      `${WHERE}: the X-Request-Signature-SHA-256 header is missing or does not match the body and secret`,
    );
  }
  const text =
    typeof input.body === 'string'
      ? input.body
      : new TextDecoder().decode(rawBodyBytes(input.body, WHERE));
  return toEvent(text);
}
