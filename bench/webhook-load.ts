// The emulator under a burst of webhooks (issue 20, item 8): SUBS subscriptions to one local
// receiver that answers each delivery after DELAY ms, then CREATIONS customers created PAR at a
// time; prints the most connections the receiver saw open at once, the most file descriptors
// the process held, the slowest GET / meanwhile, and how many deliveries arrived.
//
//   node --import tsx bench/webhook-load.ts            (SUBS=10 CREATIONS=600 DELAY=2000 PAR=4)
//   SPEC=path/to/spec.yml CREATIONS=1200 DELIVERIES=20000 node --import tsx bench/webhook-load.ts
//
// SUBS is at most 10, the Sandbox's limit (the 11th subscription is refused).
//
// Needs a spec with Dwolla's customers and webhook subscriptions (default: Dwolla's, in ../shared).
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from '../src/emulator/index.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const [SUBS, CREATIONS, DELAY, PAR, DELIVERIES] = [
  env('SUBS', 10),
  env('CREATIONS', 600),
  env('DELAY', 2000),
  env('PAR', 4),
  env('DELIVERIES', 1000), // stateLimits.deliveries: deliveries kept (the oldest dropped)
];
const SPEC =
  process.env.SPEC ?? new URL('../../shared/upstream/dwolla-openapi.yml', import.meta.url);
const HAL = 'application/vnd.dwolla.v1.hal+json';

const emu = await startEmulator({
  key: 'k',
  secret: 's',
  spec: SPEC,
  webhooks: { retries: 0 },
  stateLimits: { deliveries: DELIVERIES },
});
const seen = { received: 0, open: 0, mostOpen: 0 };
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    seen.received++;
    setTimeout(() => res.end(), DELAY);
  });
});
receiver.on('connection', (socket) => {
  seen.mostOpen = Math.max(seen.mostOpen, ++seen.open);
  socket.on('close', () => seen.open--);
});
await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const tokenAnswer = await fetch(`${emu.url}/token`, {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from('k:s').toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: 'grant_type=client_credentials',
});
const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
const headers = { authorization: `Bearer ${token}`, accept: HAL, 'content-type': HAL };
const post = async (path: string, body: unknown) => {
  const response = await fetch(emu.url + path, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
};

for (let i = 0; i < SUBS; i++)
  await post('/webhook-subscriptions', { url: `${hook}/s${i}`, secret: 'x' });

const probe = { mostFds: 0, slowestRoot: 0, rootFailures: 0, stop: false };
const probing = (async () => {
  while (!probe.stop) {
    probe.mostFds = Math.max(probe.mostFds, readdirSync('/proc/self/fd').length);
    const started = performance.now();
    try {
      const root = await fetch(`${emu.url}/`, { headers });
      await root.text();
      if (root.status !== 200) probe.rootFailures++;
    } catch {
      probe.rootFailures++;
    }
    probe.slowestRoot = Math.max(probe.slowestRoot, performance.now() - started);
    await new Promise((next) => setTimeout(next, 50));
  }
})();

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: PAR }, async () => {
    for (let i = next++; i < CREATIONS; i = next++) {
      await post('/customers', {
        firstName: `Load${i}`,
        lastName: 'Test',
        email: `load${i}@example.com`,
        type: 'unverified',
      });
    }
  }),
);
const created = performance.now() - started;
await emu.webhooksSettled();
const settled = performance.now() - started;
probe.stop = true;
await probing;
console.log(
  JSON.stringify({
    subscriptions: SUBS,
    creations: CREATIONS,
    receiverDelayMs: DELAY,
    parallel: PAR,
    deliveriesReceived: seen.received,
    mostReceiverConnections: seen.mostOpen,
    mostProcessFds: probe.mostFds,
    slowestRootMs: Math.round(probe.slowestRoot),
    rootFailures: probe.rootFailures,
    createdMs: Math.round(created),
    settledMs: Math.round(settled),
  }),
);
await emu.close();
receiver.closeAllConnections();
receiver.close();
