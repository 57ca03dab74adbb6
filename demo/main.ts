/**
 * npm start: a Dwolla integration's whole story, offline. It creates two customers with a bank
 * funding source each, subscribes a local webhook receiver, verifies the sender's bank with
 * micro-deposits, sends money from one to the other, has the sandbox process the transfer, sees a
 * second transfer come back (a bank named "R03", the sandbox's return for an account that does
 * not exist), verifies the signed webhooks that arrive, and pages through the events, then gives
 * the sandbox dashboard's URL (in a terminal, the emulator stays up until Enter). With
 * DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT set it tells the same
 * story on Dwolla (minus the local webhook receiver, which Dwolla cannot reach); DWOLLA_BASE_URL
 * instead of DWOLLA_ENVIRONMENT points it at another origin that speaks Dwolla's API (the tests
 * use a separately started emulator); with none of them set, on the built-in emulator.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createDwollaClient,
  DwollaError,
  verifyWebhookSignature,
  type DwollaClientOptions,
} from '../src/index.js';
import { startEmulator, type Emulator } from '../src/emulator/index.js';

type Links = Record<string, { href: string }>;
type Resource = { _links: Links; id: string; status?: string; [field: string]: unknown };
type Page<T> = { _links: Links; _embedded: Record<string, T[]>; total: number };
type Event = Resource & { topic: string; created: string };

/** Wraps fetch to count what goes over the wire. */
function countingFetch() {
  const counts = { tokenRequests: 0, apiCalls: 0 };
  const wrapped: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).pathname === '/token') counts.tokenRequests++;
    else counts.apiCalls++;
    return fetch(input, init);
  };
  return { fetch: wrapped, counts };
}

async function target(): Promise<{
  options: DwollaClientOptions;
  where: string;
  emulator?: Emulator;
  stop(): Promise<void>;
}> {
  const {
    DWOLLA_KEY: key,
    DWOLLA_SECRET: secret,
    DWOLLA_ENVIRONMENT: environment,
    DWOLLA_BASE_URL: baseUrl,
  } = process.env;
  if (key || secret || environment || baseUrl) {
    if (!key || !secret || !(environment || baseUrl)) {
      throw new TypeError(
        'Set all of DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT (or DWOLLA_BASE_URL), or none',
      );
    }
    // DWOLLA_BASE_URL: another origin that speaks Dwolla's API (the client checks that only one
    // of the two is set, and that the URL is https or loopback http).
    const options: DwollaClientOptions = {
      key,
      secret,
      ...(environment ? { environment: environment as 'sandbox' | 'production' } : {}),
      ...(baseUrl ? { baseUrl } : {}),
    };
    const where = baseUrl ? `the Dwolla API at ${baseUrl}` : `Dwolla's ${environment} API`;
    return { options, where, stop: async () => {} };
  }
  const credentials = { key: 'demo-key', secret: 'demo-secret' };
  const emulator = await startEmulator({
    ...credentials,
    spec: new URL('./demo-spec.yaml', import.meta.url),
  });
  return {
    options: { ...credentials, baseUrl: emulator.url },
    emulator,
    where: `the built-in emulator at ${emulator.url} (set DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT to use Dwolla)`,
    stop: () => emulator.close(),
  };
}

/** A webhook receiver on 127.0.0.1 that checks each delivery's signature with the package's verifyWebhookSignature. */
async function webhookReceiver(secret: string) {
  const received: { topic: string; verified: boolean; event: Event }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const signature = req.headers['x-request-signature-sha-256'];
      const verified = await verifyWebhookSignature({ body: raw, signature, secret });
      const event = JSON.parse(raw.toString('utf8')) as Event;
      received.push({ topic: event.topic, verified, event });
      res.statusCode = verified ? 200 : 401;
      res.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dwolla-webhooks`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((done) => server.close(() => done()));
  };
  return { url, received, close };
}

/** Resolves when a line is typed on the terminal. */
function enterPressed(): Promise<void> {
  return new Promise((done) => {
    process.stdin.once('data', () => {
      process.stdin.pause();
      done();
    });
    process.stdin.resume();
  });
}

async function main(): Promise<void> {
  const { options, where, emulator, stop } = await target();
  const wire = countingFetch();
  const dwolla = createDwollaClient({ ...options, fetch: wire.fetch });
  const origin = new URL(
    options.baseUrl ??
      `https://api${options.environment === 'production' ? '' : '-sandbox'}.dwolla.com`,
  ).origin;
  const short = (href: string) => href.replace(origin, '');
  const created = async (path: string, body: unknown, headers?: Record<string, string>) => {
    const { response } = await dwolla.post(path, body, { headers });
    return response.headers.get('location')!;
  };
  const read = async <T = Resource>(href: string) => (await dwolla.get<T>({ href })).data!;
  const secret = randomBytes(24).toString('hex');
  const receiver = emulator ? await webhookReceiver(secret) : undefined;

  try {
    console.log(`Dwolla sandbox demo, on ${where}`);

    // 1. Webhooks first, so that every later change is delivered.
    if (receiver) {
      const subscription = await created('/webhook-subscriptions', { url: receiver.url, secret });
      console.log(`1. Subscribed the webhook receiver at ${receiver.url}: ${short(subscription)}`);
    } else {
      console.log('1. Webhook receiver: skipped (Dwolla cannot reach a receiver on this machine)');
    }

    // 2. Two customers: a verified sender and an unverified receiver.
    const jane = await read(
      await created('/customers', {
        firstName: 'Jane',
        lastName: 'Doe',
        email: `jane.${randomUUID().slice(0, 8)}@example.com`,
        type: 'personal',
        address1: '99-99 33rd St',
        city: 'Some City',
        state: 'NY',
        postalCode: '11101',
        dateOfBirth: '1970-01-01',
        ssn: '1234',
      }),
    );
    const bob = await read(
      await created('/customers', {
        firstName: 'Bob',
        lastName: 'Roe',
        email: `bob.${randomUUID().slice(0, 8)}@example.com`,
      }),
    );
    for (const c of [jane, bob]) {
      console.log(
        `2. Created customer ${c.firstName} ${c.lastName} (${c.status}): ${short(c._links.self!.href)}`,
      );
    }

    // 3. A bank funding source for each, and for Bob one named "R03": Dwolla's sandbox returns
    //    what is sent to it (R03: no account), the unhappy path this story ends with.
    const bank = async (customer: Resource, name: string, accountNumber: string) => {
      const href = await created(`${customer._links.self!.href}/funding-sources`, {
        routingNumber: '222222226',
        accountNumber,
        bankAccountType: 'checking',
        name,
      });
      const source = await read(href);
      console.log(
        `3. Added funding source "${source.name}" (${source.status}) to ${customer.firstName}: ${short(href)}`,
      );
      return href;
    };
    const from = await bank(jane, "Jane's Checking", '123456789');
    const to = await bank(bob, "Bob's Checking", '987654321');
    const noAccount = await bank(bob, 'R03', '555555555');

    // 4. A bank sends only once verified: two micro-deposits, whose amounts Jane confirms (the
    //    sandbox takes any two under $0.10).
    await dwolla.post(`${from}/micro-deposits`);
    const cents = { value: '0.03', currency: 'USD' };
    await dwolla.post(`${from}/micro-deposits`, { amount1: cents, amount2: cents });
    console.log(`4. Verified "Jane's Checking" with micro-deposits: ${(await read(from)).status}`);

    // 5. Money moves: the same Idempotency-Key on a retry would never pay twice.
    const send = async (destination: string, value: string, whose: string) => {
      const href = await created(
        '/transfers',
        {
          _links: { source: { href: from }, destination: { href: destination } },
          amount: { currency: 'USD', value },
        },
        { 'Idempotency-Key': randomUUID() },
      );
      const pending = await read(href);
      const amount = pending.amount as { value: string; currency: string };
      console.log(
        `5. Initiated a transfer of ${amount.value} ${amount.currency} from Jane to ${whose}: ${short(href)} (${pending.status})`,
      );
      return href;
    };
    const transferHref = await send(to, '25.00', 'Bob');
    const returnedHref = await send(noAccount, '10.00', 'Bob\'s "R03"');

    // 6. The sandbox processes pending bank transfers on request: Jane's bank pays into her
    //    Dwolla balance, then her balance pays Bob's bank, one run each.
    await dwolla.post('/sandbox-simulations', {});
    await dwolla.post('/sandbox-simulations', {});
    console.log(
      `6. Simulated processing twice: the transfer is ${(await read(transferHref)).status}`,
    );

    // 7. The unhappy path: the transfer to "R03" came back. Why is a resource of its own.
    const returned = await read(returnedHref);
    const failure = await read<Resource & { code: string; description: string }>(
      returned._links.failure!.href,
    );
    console.log(
      `7. The transfer to "R03" ${returned.status}: ${failure.code} ${failure.description}; the bank is removed: ${(await read(noAccount)).removed}`,
    );

    // 8. The webhooks, each checked against its X-Request-Signature-SHA-256.
    if (receiver && emulator) {
      await emulator.webhooksSettled();
      const verified = receiver.received.filter((w) => w.verified).length;
      console.log(
        `8. Received ${receiver.received.length} webhooks, ${verified} with a valid signature:`,
      );
      const counts = new Map<string, number>();
      for (const { topic } of receiver.received) counts.set(topic, (counts.get(topic) ?? 0) + 1);
      for (const [topic, count] of counts) {
        console.log(`   ${topic}${count > 1 ? ` x${count}` : ''}`);
      }
    } else {
      console.log('8. Webhooks: skipped (Dwolla cannot reach a receiver on this machine)');
    }

    // 9. The same story in the event log, newest first, five a page, over _links.next.
    let next: string | undefined = `${origin}/events?limit=5`;
    let page = 0;
    while (next && page < 2) {
      const events: Page<Event> = await read<Page<Event>>(next);
      const topics = (events._embedded.events ?? []).map((e) => e.topic);
      console.log(
        `9. Events page ${++page} of ${Math.ceil(events.total / 5)}: ${topics.join(', ')}`,
      );
      next = events._links.next?.href;
    }

    // 10. What the sandbox now holds, as a web page.
    if (emulator) console.log(`10. The sandbox dashboard: ${emulator.dashboardUrl}`);

    const { tokenRequests, apiCalls } = wire.counts;
    console.log(
      `${apiCalls} API calls, ${tokenRequests} token request${tokenRequests === 1 ? '' : 's'}`,
    );
    // In a terminal, the emulator (and the webhook receiver) stay up to be looked at.
    if (emulator && process.stdin.isTTY && process.stdout.isTTY) {
      console.log('The emulator stays up while you look at its dashboard: press Enter to stop.');
      await enterPressed();
    }
  } finally {
    await receiver?.close();
    await stop();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof DwollaError || error instanceof TypeError;
  console.error(known ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
