// Signed webhook deliveries to real receivers on 127.0.0.1, on Dwolla's full spec.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { upstreamResponseValidator } from '../helpers/upstream-validator.js';
import { api, emulator, getToken, person } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Received = { headers: IncomingMessage['headers']; raw: string };

const receivers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of receivers.splice(0)) {
    server.close();
    server.closeAllConnections();
  }
});

/** A webhook receiver on 127.0.0.1; `answer` decides each reply (default 200). */
async function receiver(answer: (n: number, res: ServerResponse) => void = (_, res) => res.end()) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      answer(received.length, res);
    });
  });
  receivers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dwolla`, received };
}

/** The check a receiver makes, written here with node:crypto alone. */
function signedBy(secret: string, { headers, raw }: Received): boolean {
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(String(headers['x-request-signature-sha-256']), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe.skipIf(!HAS_UPSTREAM_SPEC)("webhooks, on Dwolla's full spec", () => {
  const validator = HAS_UPSTREAM_SPEC ? upstreamResponseValidator() : undefined!;
  let emu: Emulator;
  let token: string;
  const start = async (options: Partial<EmulatorOptions> = {}) => {
    emu = await emulator({ spec: UPSTREAM_SPEC, ...options });
    token = await getToken(emu.url);
  };
  const call = async (path: string, init: Parameters<typeof api>[3] = {}) => {
    const response = await api(emu.url, token, path.replace(emu.url, ''), init);
    const text = await response.text();
    return { response, status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  const subscribe = async (url: string, secret: string) => {
    const { status, response } = await call('/webhook-subscriptions', { body: { url, secret } });
    expect(status).toBe(201);
    return response.headers.get('location')!;
  };

  it('POSTs customer_created, signed with the secret, linking the customer at its Location', async () => {
    await start();
    const hook = await receiver();
    const subscription = await subscribe(hook.url, 'my webhook secret');
    const { response } = await call('/customers', { body: person('w') });
    const customer = response.headers.get('location')!;
    await emu.webhooksSettled();

    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    expect(signedBy('my webhook secret', delivery!)).toBe(true);
    expect(signedBy('another secret', delivery!)).toBe(false);
    expect(delivery!.headers['content-type']).toBe('application/json');
    const event = JSON.parse(delivery!.raw) as Json;
    expect(event).toMatchObject({
      topic: 'customer_created',
      resourceId: customer.split('/').pop(),
    });
    expect(event._links.resource.href).toBe(customer);
    // The same event as GET /events/{id} answers.
    expect((await call(event._links.self.href)).body).toEqual(event);

    const webhooks = await call(`${subscription}/webhooks`);
    const validate = validator('/webhook-subscriptions/{id}/webhooks', 'get');
    expect(validate(webhooks.body), JSON.stringify(validate.errors)).toBe(true);
    expect(webhooks.body.total).toBe(1);
    const [webhook] = webhooks.body._embedded.webhooks;
    expect(webhook).toMatchObject({ topic: 'customer_created', eventId: event.id });
    expect(webhook.attempts).toHaveLength(1);
    expect(webhook.attempts[0].response.statusCode).toBe(200);
    expect(webhook.attempts[0].request.body).toBe(delivery!.raw);
  });

  it("retries a failing receiver on Dwolla's schedule, compressed, a bounded number of times", async () => {
    // Dwolla's first two retries come 15 min and 1 h after the first attempt: here 15 and 60 ms.
    await start({ webhooks: { retries: 2, compressRetries: 60_000 } });
    const flaky = await receiver((n, res) => {
      res.statusCode = n === 1 ? 500 : 200;
      res.end();
    });
    const down = await receiver((_, res) => {
      res.statusCode = 503;
      res.end('busy');
    });
    const flakySubscription = await subscribe(flaky.url, 's1');
    const downSubscription = await subscribe(down.url, 's2');
    await call('/customers', { body: person('r') });
    await emu.webhooksSettled();
    expect(flaky.received).toHaveLength(2);
    expect(down.received).toHaveLength(3); // the first attempt and 2 retries, then no more
    expect(down.received.map((r) => r.raw)).toEqual(Array(3).fill(down.received[0]!.raw));
    const attempts = (await call(`${downSubscription}/webhooks`)).body._embedded.webhooks[0]
      .attempts as Json[];
    expect(attempts.map((a) => a.response.statusCode)).toEqual([503, 503, 503]);
    expect(attempts[0]!.response.body).toBe('busy');
    const recovered = (await call(`${flakySubscription}/webhooks`)).body._embedded.webhooks[0];
    expect(recovered.attempts.map((a: Json) => a.response.statusCode)).toEqual([200, 500]);
  });

  it('POST /webhooks/{id}/retries delivers the webhook again, signed, and lists the retry', async () => {
    await start({ webhooks: { retries: 0 } });
    const hook = await receiver((n, res) => {
      res.statusCode = n === 1 ? 500 : 200; // the first delivery fails
      res.end();
    });
    const subscription = await subscribe(hook.url, 'retry secret');
    await call('/customers', { body: person('again') });
    await emu.webhooksSettled();
    expect(hook.received).toHaveLength(1);
    const webhookHref = (await call(`${subscription}/webhooks`)).body._embedded.webhooks[0]._links
      .self.href as string;

    const retried = await call(`${webhookHref}/retries`, { method: 'POST' });
    expect(retried.status).toBe(201);
    expect(retried.response.headers.get('location')).toBe(`${webhookHref}/retries`);
    await emu.webhooksSettled();
    expect(hook.received).toHaveLength(2);
    const [first, second] = hook.received;
    expect(second!.raw).toBe(first!.raw); // the same event
    expect(signedBy('retry secret', second!)).toBe(true);
    expect(JSON.parse(second!.raw)).toMatchObject({ topic: 'customer_created' });

    const webhook = (await call(webhookHref)).body;
    expect(webhook.attempts.map((a: Json) => a.response.statusCode)).toEqual([200, 500]);
    const retries = await call(`${webhookHref}/retries`);
    const validate = validator('/webhooks/{id}/retries', 'get');
    expect(validate(retries.body), JSON.stringify(validate.errors)).toBe(true);
    expect(retries.body.total).toBe(1);
    expect(retries.body._embedded.retries[0]._links.webhook.href).toBe(webhookHref);
    const listed = (await call(`${subscription}/webhooks`)).body._embedded.webhooks[0];
    expect(listed.attempts).toHaveLength(2);

    const unknown = '/webhooks/4d3c2b1a-0000-4000-8000-000000000000/retries';
    expect((await call(unknown, { method: 'POST' })).status).toBe(404);
    expect(hook.received).toHaveLength(2);
  });

  it('gives up on an attempt after timeoutMs', async () => {
    await start({ webhooks: { retries: 0, timeoutMs: 200 } });
    const silent = await receiver(() => {}); // never answers
    const subscription = await subscribe(silent.url, 's');
    await call('/customers', { body: person('t') });
    const started = performance.now();
    await emu.webhooksSettled();
    expect(performance.now() - started).toBeLessThan(5000);
    const [webhook] = (await call(`${subscription}/webhooks`)).body._embedded.webhooks;
    expect(webhook.attempts).toMatchObject([{ response: { statusCode: 0, body: 'timed out' } }]);
  });

  it('refuses a subscription to a host off this machine unless told to allow any host', async () => {
    await start();
    const refused = await call('/webhook-subscriptions', {
      body: { url: 'https://hooks.example.com/dwolla', secret: 's' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'ValidationError',
      _embedded: { errors: [{ path: '/url', code: 'Invalid' }] },
    });
    await start({ webhooks: { allowAnyHost: true, retries: 0 } });
    // Nothing happens after it, so nothing is sent off the machine.
    const allowed = await call('/webhook-subscriptions', {
      body: { url: 'https://hooks.example.com/dwolla', secret: 's' },
    });
    expect(allowed.status).toBe(201);
  });
});
