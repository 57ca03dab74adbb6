import { createHmac } from 'node:crypto';

/** The emulator's `webhooks` option: how deliveries are timed, retried and bounded. */
export type WebhookOptions = {
  /** How long one delivery attempt may take before it counts as failed (default 10,000 ms, as
   * Dwolla allows its receivers). */
  timeoutMs?: number;
  /** Further attempts after a failed one (non-2xx, timeout or network error), from 0 to 8
   * (default 8, as Dwolla), at Dwolla's times: 15 min, 1 h, 3 h, 6 h, 12 h, 24 h, 48 h and 72 h
   * after the first attempt, divided by `compressRetries`. */
  retries?: number;
  /** Divides Dwolla's retry schedule by this factor, for tests: 3,600 makes its 72 hours take 72
   * seconds (its first retry 0.25 s after the first attempt). Default 1: Dwolla's real times. */
  compressRetries?: number;
  /** Attempts under way at once, to all subscriptions together; the others wait their turn
   * (default 10: Dwolla sends bursts of up to 10 concurrent requests). */
  maxConcurrent?: number;
  /** Deliver to any host; by default only to loopback addresses (127.0.0.0/8, ::1, localhost). */
  allowAnyHost?: boolean;
};

/** When Dwolla retries a failed delivery: this long after the first attempt (its API reference,
 * "Webhook subscriptions"). */
export const DWOLLA_RETRY_SCHEDULE_MS = [0.25, 1, 3, 6, 12, 24, 48, 72].map((h) => h * 3_600_000);

export const WEBHOOK_DEFAULTS = {
  timeoutMs: 10_000,
  retries: DWOLLA_RETRY_SCHEDULE_MS.length,
  compressRetries: 1,
  maxConcurrent: 10,
  allowAnyHost: false,
} satisfies Required<WebhookOptions>;

/** Response bodies kept per attempt: a prefix of this many characters. */
const KEPT_BODY = 2_048;

/** One delivery attempt, shaped as Dwolla lists it under `attempts`. */
export type Attempt = {
  id: string;
  request: { timestamp: string; url: string; headers: Header[]; body: string };
  response: { timestamp: string; headers: Header[]; statusCode: number; body: string };
};
type Header = { name: string; value: string };

export type Delivery = {
  url: string;
  secret: string;
  topic: string;
  /** The event JSON: the raw body that is signed and sent. */
  body: string;
  /** Whether to go on: false once the subscription is paused or removed, or the webhook is no
   * longer kept. Asked before each attempt. */
  active(): boolean;
  /** Called after each attempt. */
  onAttempt(attempt: Attempt): void;
};

/** `hex(HMAC-SHA256(secret, raw body))`: Dwolla's X-Request-Signature-SHA-256. */
export function signature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function isLoopback(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { hostname, protocol } = new URL(url);
  if (protocol !== 'http:' && protocol !== 'https:') return false;
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** A delivery the sender keeps: waiting for a turn, under way, or waiting to retry. */
type Live = { delivery: Delivery; failures: number; timer?: NodeJS.Timeout };

/**
 * Sends webhooks as Dwolla does: POST of the event JSON, signed, retried on Dwolla's schedule a
 * bounded number of times. Bounded under any load: at most `maxConcurrent` attempts under way
 * (so as many sockets), the others waiting their turn, oldest first; at most `maxKept`
 * deliveries kept in all (past it the oldest is abandoned). `settled()` waits for those kept,
 * `close()` abandons them.
 */
export function createWebhookSender(
  options: WebhookOptions,
  deps: {
    now: () => number;
    newId: () => string;
    /** Deliveries kept at most (waiting, under way or to be retried): the emulator's cap on
     * stored webhooks, as each delivery is one. */
    maxKept: number;
  },
) {
  const settings = checkedSettings(options);
  const closing = new AbortController();
  let nextId = 0;
  /** Every delivery kept, oldest first. */
  const live = new Map<number, Live>();
  /** Those waiting for a turn, in turn. */
  const ready = new Map<number, Live>();
  let underWay = 0;
  const idle: (() => void)[] = [];

  async function attempt(delivery: Delivery): Promise<boolean> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-request-signature-sha-256': signature(delivery.secret, delivery.body),
      'x-dwolla-topic': delivery.topic,
    };
    const sent = new Date(deps.now()).toISOString();
    let statusCode = 0;
    let responseHeaders: Header[] = [];
    let text = '';
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(settings.timeoutMs)]),
      });
      statusCode = response.status;
      responseHeaders = [...response.headers].map(([name, value]) => ({ name, value }));
      text = await prefix(response, KEPT_BODY);
    } catch (error) {
      text = (error as Error).name === 'TimeoutError' ? 'timed out' : String(error).slice(0, 300);
    }
    if (closing.signal.aborted) return true;
    delivery.onAttempt({
      id: deps.newId(),
      request: {
        timestamp: sent,
        url: delivery.url,
        headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
        body: delivery.body,
      },
      response: {
        timestamp: new Date(deps.now()).toISOString(),
        headers: responseHeaders,
        statusCode,
        body: text,
      },
    });
    return statusCode >= 200 && statusCode < 300;
  }

  /** Starts attempts while there are turns free and deliveries waiting for one. */
  function pump(): void {
    for (const [id, kept] of ready) {
      if (underWay >= settings.maxConcurrent) return;
      ready.delete(id);
      if (!kept.delivery.active()) {
        forget(id);
        continue;
      }
      underWay++;
      void attempt(kept.delivery).then((delivered) => {
        underWay--;
        if (live.has(id)) {
          if (delivered || kept.failures >= settings.retries || !kept.delivery.active()) forget(id);
          else retryLater(id, kept);
        }
        pump();
        wakeIfIdle();
      });
    }
  }

  function retryLater(id: number, kept: Live): void {
    const since = (DWOLLA_RETRY_SCHEDULE_MS[kept.failures - 1] ?? 0) / settings.compressRetries;
    const wait = DWOLLA_RETRY_SCHEDULE_MS[kept.failures]! / settings.compressRetries - since;
    kept.failures++;
    kept.timer = setTimeout(() => {
      kept.timer = undefined;
      ready.set(id, kept);
      pump();
    }, wait);
  }

  function forget(id: number): void {
    const kept = live.get(id);
    if (!kept) return;
    clearTimeout(kept.timer);
    live.delete(id);
    ready.delete(id);
    wakeIfIdle();
  }

  function wakeIfIdle(): void {
    if (live.size || underWay) return;
    for (const wake of idle.splice(0)) wake();
  }

  return {
    settings,
    send(delivery: Delivery): void {
      if (closing.signal.aborted) return;
      if (!settings.allowAnyHost && !isLoopback(delivery.url)) return;
      const id = nextId++;
      const kept: Live = { delivery, failures: 0 };
      live.set(id, kept);
      ready.set(id, kept);
      for (const oldest of live.keys()) {
        if (live.size <= deps.maxKept) break;
        forget(oldest);
      }
      pump();
    },
    /** Attempts under way and deliveries kept (waiting for a turn or to retry). */
    load: () => ({ underWay, kept: live.size }),
    /** Resolves when every delivery (its retries included) has finished or been abandoned. */
    settled(): Promise<void> {
      if (!live.size && !underWay) return Promise.resolve();
      return new Promise((done) => idle.push(done));
    },
    close(): void {
      closing.abort();
      for (const id of [...live.keys()]) forget(id);
      for (const wake of idle.splice(0)) wake();
    },
  };
}

function checkedSettings(options: WebhookOptions): Required<WebhookOptions> {
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  const settings = { ...WEBHOOK_DEFAULTS, ...Object.fromEntries(given) };
  const { retries, compressRetries, maxConcurrent, timeoutMs } = settings;
  const max = DWOLLA_RETRY_SCHEDULE_MS.length;
  if (!Number.isInteger(retries) || retries < 0 || retries > max) {
    throw new RangeError(`webhooks.retries is a whole number from 0 to ${max}, not ${retries}`);
  }
  if (!(compressRetries >= 1 && Number.isFinite(compressRetries))) {
    throw new RangeError(
      `webhooks.compressRetries is a finite number >= 1, not ${compressRetries}`,
    );
  }
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`webhooks.maxConcurrent is a whole number >= 1, not ${maxConcurrent}`);
  }
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new RangeError(`webhooks.timeoutMs is a finite number > 0, not ${timeoutMs}`);
  }
  return settings;
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

/** The first `max` characters of a response body; the rest is not read. */
async function prefix(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < max) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text.slice(0, max);
}
