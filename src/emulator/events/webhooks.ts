import { createHmac } from 'node:crypto';

export type WebhookOptions = {
  /** How long one delivery attempt may take before it counts as failed (default 10,000 ms). */
  timeoutMs?: number;
  /** Further attempts after a failed one (default 3): non-2xx, timeout or network error. */
  retries?: number;
  /** Wait before the first retry, doubled for each next one (default 1,000 ms). */
  backoffMs?: number;
  /** Deliver to any host; by default only to loopback addresses (127.0.0.0/8, ::1, localhost). */
  allowAnyHost?: boolean;
};

export const WEBHOOK_DEFAULTS = {
  timeoutMs: 10_000,
  retries: 3,
  backoffMs: 1_000,
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

/**
 * Sends webhooks as Dwolla does: POST of the event JSON, signed, retried with exponential
 * backoff a bounded number of times. Deliveries run in the background; `settled()` waits for
 * those under way, `close()` abandons them (and their waits).
 */
export function createWebhookSender(
  options: WebhookOptions,
  deps: {
    now: () => number;
    newId: () => string;
    /** Waits, unless the emulator closes first (then resolves false). */
    sleep: (ms: number) => Promise<boolean>;
  },
) {
  const settings = { ...WEBHOOK_DEFAULTS, ...options };
  const running = new Set<Promise<void>>();
  const closing = new AbortController();

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

  async function deliver(delivery: Delivery): Promise<void> {
    if (!settings.allowAnyHost && !isLoopback(delivery.url)) return;
    for (let i = 0; i <= settings.retries; i++) {
      if (await attempt(delivery)) return;
      if (i < settings.retries && !(await deps.sleep(settings.backoffMs * 2 ** i))) return;
    }
  }

  return {
    settings,
    send(delivery: Delivery): void {
      if (closing.signal.aborted) return;
      const run = deliver(delivery).finally(() => running.delete(run));
      running.add(run);
    },
    /** Resolves when every delivery under way (retries included) has finished. */
    async settled(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },
    close(): void {
      closing.abort();
    },
  };
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
