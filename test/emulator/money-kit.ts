// What the money tests share, over sandboxKit (sandbox-kit.ts): banks verified with
// micro-deposits, balances, transfers, simulations, and the events with the resource and the
// customer each is about.
import { expect } from 'vitest';
import { getToken, verifyBank } from './helpers.js';
import { personal, sandboxKit, type Json } from './sandbox-kit.js';

export type { Json };

let made = 0;
/** A verified personal customer (any first name but the Sandbox's status sentinels). */
export const verifiedPerson = (name: string) => personal(name, `money${++made}`);

/** An unverified customer. */
export const unverifiedPerson = (name: string) => ({
  firstName: name,
  lastName: 'Roe',
  email: `${name}.money${++made}@example.com`.toLowerCase(),
  type: 'unverified',
});

/** A bank funding source; its own account number unless given (the Sandbox refuses the same
 * bank twice for one owner). */
export const bankAccount = (name: string, account = String(200_000_000 + ++made)) => ({
  routingNumber: '222222226',
  accountNumber: account,
  bankAccountType: 'checking',
  name,
});

/** sandboxKit for the money tests, with their helpers. */
export function moneyKit() {
  const kit = sandboxKit();
  const h = {
    get emu() {
      return kit.emu;
    },
    call: kit.call,
    create: kit.create,
    valid: kit.valid,
    validAs: kit.validAs,
    /** Moves the emulator's clock, and takes a token that lives past it. */
    async advance(ms: number) {
      kit.clock += ms;
      kit.token = await getToken(kit.emu.url);
    },
    /** GET, checked to be 200 and valid for the operation's response schema. */
    async read(href: string, template: string): Promise<Json> {
      const { status, body } = await kit.call(href);
      expect(status, `GET ${href}: ${JSON.stringify(body)}`).toBe(200);
      kit.valid(body, template);
      return body;
    },
    /** A request Dwolla refuses: its status, and its body valid for the spec's schema. */
    async refused(path: string, body: unknown, status: number, schema?: string) {
      const answer = await kit.call(path, { body });
      expect(answer.status, `POST ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
      if (schema) kit.validAs(answer.body, schema);
      return answer.body;
    },
    /** Stops the webhooks (where a test makes hundreds of events). */
    async unsubscribe() {
      const list = await kit.call('/webhook-subscriptions');
      for (const s of list.body._embedded['webhook-subscriptions'] as Json[]) {
        expect((await kit.call(s._links.self.href, { method: 'DELETE' })).status).toBe(200);
      }
    },
    verifyBank: (fs: string) => verifyBank(kit.emu, kit.token, fs),
    /** A verified customer with a bank verified by micro-deposits. */
    async verifiedWithBank(name: string) {
      const customer = await kit.create('/customers', verifiedPerson(name));
      const bank = await kit.create(`${customer}/funding-sources`, bankAccount(`${name}'s`));
      await h.verifyBank(bank);
      return { customer, bank };
    },
    /** A customer's (or the account's) balance funding source. */
    async balanceOf(owner: string): Promise<string> {
      const list = await kit.call(`${owner}/funding-sources`);
      const balance = (list.body._embedded['funding-sources'] as Json[]).find(
        (fs) => fs.type === 'balance',
      );
      expect(balance, `${owner} has a balance`).toBeDefined();
      return balance!._links.self.href as string;
    },
    /** What a balance funding source holds (GET .../balance). */
    async balance(fs: string): Promise<string> {
      return (await h.read(`${fs}/balance`, '/funding-sources/{id}/balance')).balance.value;
    },
    async transfer(source: string, destination: string, value: string, more: Json = {}) {
      return kit.create('/transfers', {
        _links: { source: { href: source }, destination: { href: destination } },
        amount: { currency: 'USD', value },
        ...more,
      });
    },
    async simulate(): Promise<Json> {
      const { status, body } = await kit.call('/sandbox-simulations', { body: {} });
      expect(status).toBe(200);
      kit.valid(body, '/sandbox-simulations', 'post');
      return body;
    },
    async status(href: string): Promise<string> {
      return (await h.read(href, '/transfers/{id}')).status;
    },
    /** Events since the last reset, oldest first: [topic, resource href, customer href]. */
    async events(): Promise<[string, string, string | undefined][]> {
      const { body } = await kit.call('/events?limit=200');
      kit.valid(body, '/events');
      return (body._embedded.events as Json[])
        .reverse()
        .map((e) => [e.topic, e._links.resource.href, e._links.customer?.href]);
    },
    /** Call the function it answers to read the events recorded from now on. */
    async eventsFrom(): Promise<() => Promise<[string, string, string | undefined][]>> {
      const seen = (await h.events()).length;
      return async () => (await h.events()).slice(seen);
    },
    /** The topics webhooks delivered, in the order of their events. */
    webhookTopics: kit.webhookTopics,
  };
  return h;
}

export type Sandbox = ReturnType<typeof moneyKit>;
