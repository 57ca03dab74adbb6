// The webhook guide's receivers (docs/webhooks.md), run for real: node:http, Express with express.raw, and a
// fetch-style handler (Workers, Deno, Bun), all on one `receive` that verifies and dedupes.
// Deliveries are signed here with node:crypto, independently of the code under test.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DwollaWebhookPayloadError,
  DwollaWebhookSignatureError,
  verifyWebhookEvent,
  type DwollaWebhookEvent,
} from '../../src/index.js';

const SECRET = 'whsec-readme';

// --- as in docs/webhooks.md----------------------------------------------------------------------
const processed = new Set<string>(); // in production: a unique key in your database
const handled: DwollaWebhookEvent[] = [];
async function handle(event: DwollaWebhookEvent) {
  handled.push(event);
}

/** The HTTP status to answer a delivery with. */
async function receive(body: string | Uint8Array, signature: string | string[] | null | undefined) {
  let event: DwollaWebhookEvent;
  try {
    event = await verifyWebhookEvent({ body, signature, secret: SECRET });
  } catch (error) {
    if (error instanceof DwollaWebhookSignatureError) return 401;
    if (error instanceof DwollaWebhookPayloadError) return 400;
    throw error;
  }
  if (processed.has(event.id)) return 200; // Dwolla may deliver an event more than once
  await handle(event); // throws → 500 → Dwolla retries later
  processed.add(event.id);
  return 200;
}

const nodeHttpReceiver = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const status = await receive(Buffer.concat(chunks), req.headers['x-request-signature-sha-256']);
  res.writeHead(status).end();
});

const app = express();
app.post('/dwolla/webhooks', express.raw({ type: 'application/json' }), async (req, res) => {
  res.sendStatus(await receive(req.body as Buffer, req.header('X-Request-Signature-SHA-256')));
});

const fetchHandler = {
  async fetch(request: Request): Promise<Response> {
    const status = await receive(
      await request.text(),
      request.headers.get('X-Request-Signature-SHA-256'),
    );
    return new Response(null, { status });
  },
};
// ---------------------------------------------------------------------------------------------

let server: Server | undefined;
afterEach(async () => {
  processed.clear();
  handled.length = 0;
  if (server?.listening) {
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
  }
  server = undefined;
});

function delivery(id: string, topic = 'customer_created') {
  // Spacing and key order a re-serialisation would not reproduce.
  const body = `{ "id": "${id}", "resourceId": "c1", "topic": "${topic}",\n  "timestamp": "2026-11-28T16:00:00.000Z", "_links": { "resource": { "href": "https://api-sandbox.dwolla.com/customers/c1" } } }`;
  return { body, signature: createHmac('sha256', SECRET).update(body).digest('hex') };
}

async function listen(s: Server): Promise<string> {
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/dwolla/webhooks`;
}

type Send = (body: string, signature?: string) => Promise<number>;

function overHttp(url: string): Send {
  return async (body, signature) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (signature !== undefined) headers['X-Request-Signature-SHA-256'] = signature;
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  };
}

const receivers: [string, () => Promise<Send>][] = [
  ['node:http', async () => overHttp(await listen(nodeHttpReceiver))],
  ['Express with express.raw', async () => overHttp(await listen(createServer(app)))],
  [
    'a fetch-style handler (await request.text())',
    async () => async (body, signature) => {
      const headers = new Headers({ 'Content-Type': 'application/json' });
      if (signature !== undefined) headers.set('X-Request-Signature-SHA-256', signature);
      const request = new Request('https://receiver.example/dwolla/webhooks', {
        method: 'POST',
        headers,
        body,
      });
      return (await fetchHandler.fetch(request)).status;
    },
  ],
];

describe.each(receivers)('the README webhook receiver on %s', (_name, start) => {
  it('handles a signed event once, however often it is delivered', async () => {
    const send = await start();
    const first = delivery('e1');
    expect(await send(first.body, first.signature)).toBe(200);
    expect(await send(first.body, first.signature)).toBe(200);
    const second = delivery('e2', 'customer_verified');
    expect(await send(second.body, second.signature)).toBe(200);
    expect(handled.map((e) => [e.id, e.topic])).toEqual([
      ['e1', 'customer_created'],
      ['e2', 'customer_verified'],
    ]);
  });

  it('answers 401 to a forged, tampered or unsigned delivery and handles none', async () => {
    const send = await start();
    const { body, signature } = delivery('e3');
    expect(await send(body, createHmac('sha256', 'wrong').update(body).digest('hex'))).toBe(401);
    expect(await send(body.replace('c1', 'c2'), signature)).toBe(401);
    expect(await send(body)).toBe(401);
    expect(await send(JSON.stringify(JSON.parse(body)), signature)).toBe(401);
    expect(handled).toEqual([]);
  });

  it('answers 400 to a signed body that is not an event', async () => {
    const send = await start();
    const body = '{"hello":"world"}';
    expect(await send(body, createHmac('sha256', SECRET).update(body).digest('hex'))).toBe(400);
  });
});
