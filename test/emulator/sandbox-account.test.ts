// The sandbox account (issue 20, item 6) and the webhook subscription limit (item 7), on
// Dwolla's full spec over plain fetch; bodies judged by the contract suite's validator.
import { describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { bankAccount, moneyKit, verifiedPerson, type Json } from './money-kit.js';

describe.skipIf(!HAS_UPSTREAM_SPEC)("the account in Dwolla's Sandbox", () => {
  const h = moneyKit();

  /** The account's funding sources, by type. */
  async function accountSources() {
    const root = await h.read('/', '/');
    const href = root._links.account.href as string;
    const list = await h.read(`${href}/funding-sources`, '/accounts/{id}/funding-sources');
    const byType = (type: string) =>
      (list._embedded['funding-sources'] as Json[]).find((fs) => fs.type === type)!;
    return { account: href, list, bank: byType('bank'), balance: byType('balance') };
  }

  it('comes with "Superhero Savings Bank" and $5,000 on its balance, read with GET /funding-sources/{id}/balance', async () => {
    const { account, list, bank, balance } = await accountSources();
    expect(list.total).toBe(2);
    expect(bank).toMatchObject({
      name: 'Superhero Savings Bank',
      status: 'verified',
      removed: false,
    });
    expect(bank._links.account.href).toBe(account);
    expect(balance).toMatchObject({ type: 'balance', status: 'verified' });
    expect(balance._links.balance.href).toBe(`${balance._links.self.href}/balance`);
    const answer = await h.read(balance._links.balance.href, '/funding-sources/{id}/balance');
    expect(answer).toMatchObject({
      balance: { value: '5000.00', currency: 'USD' },
      total: { value: '5000.00', currency: 'USD' },
      lastUpdated: expect.any(String),
    });
    expect(answer._links['funding-source'].href).toBe(balance._links.self.href);
    // A bank has no balance to read in the sandbox (only banks linked by open banking do).
    const none = await h.call(`${bank._links.self.href}/balance`);
    expect(none.status).toBe(404);
    h.valid(none.body, '/funding-sources/{id}/balance', 'get', '404');
    // Nothing was announced: the account had them before any subscription.
    expect(await h.events()).toEqual([]);
    // The sandbox dashboard shows the balance.
    const page = await (await fetch(h.emu.dashboardUrl)).text();
    expect(page).toMatch(/id="balance"[^]*?<strong>5000\.00 USD<\/strong>/);
  });

  it('its balance moves with transfers, its bank pays in through a simulation, and a reset brings the $5,000 back', async () => {
    const { bank, balance } = await accountSources();
    const balanceHref = balance._links.self.href as string;
    const customer = await h.create('/customers', verifiedPerson('Carla'));
    const theirs = await h.balanceOf(customer);
    expect(await h.balance(theirs)).toBe('0.00');

    await h.transfer(balanceHref, theirs, '1234.56');
    expect(await h.balance(balanceHref)).toBe('3765.44');
    expect(await h.balance(theirs)).toBe('1234.56');
    await h.transfer(theirs, balanceHref, '0.56');
    expect(await h.balance(balanceHref)).toBe('3766.00');

    const topUp = await h.transfer(bank._links.self.href, balanceHref, '1000.00');
    expect(await h.balance(balanceHref)).toBe('3766.00'); // pending until the simulation
    await h.simulate();
    expect(await h.status(topUp)).toBe('processed');
    expect(await h.balance(balanceHref)).toBe('4766.00');

    const tooMuch = await h.refused(
      '/transfers',
      {
        _links: { source: { href: balanceHref }, destination: { href: theirs } },
        amount: { currency: 'USD', value: '4766.01' },
      },
      400,
      'InsufficientFundsError',
    );
    expect(tooMuch._embedded.errors[0].code).toBe('InsufficientFunds');

    h.emu.reset();
    const after = await accountSources();
    expect(after.list.total).toBe(2);
    expect(await h.balance(after.balance._links.self.href)).toBe('5000.00');
  });

  it('a verified customer gets a balance of its own; an unverified one has none', async () => {
    const verified = await h.create('/customers', verifiedPerson('Vic'));
    const list = await h.read(`${verified}/funding-sources`, '/customers/{id}/funding-sources');
    expect(list._embedded['funding-sources']).toEqual([
      expect.objectContaining({ type: 'balance', name: 'Balance', status: 'verified' }),
    ]);
    const unverified = await h.create('/customers', {
      firstName: 'Una',
      lastName: 'Roe',
      email: 'una@example.com',
      type: 'unverified',
    });
    await h.create(`${unverified}/funding-sources`, bankAccount('Una checking'));
    const theirs = await h.read(`${unverified}/funding-sources`, '/customers/{id}/funding-sources');
    expect((theirs._embedded['funding-sources'] as Json[]).map((fs) => fs.type)).toEqual(['bank']);
  });
});

describe.skipIf(!HAS_UPSTREAM_SPEC)("webhook subscriptions in Dwolla's Sandbox", () => {
  const h = moneyKit();

  it('allows 10 at most: the 11th is 400 MaxNumberOfResources, until one is deleted', async () => {
    // The harness subscribed one already.
    const made: string[] = [];
    for (let i = 2; i <= 10; i++) {
      made.push(
        await h.create('/webhook-subscriptions', { url: `http://127.0.0.1:9/${i}`, secret: 's' }),
      );
    }
    const list = await h.read('/webhook-subscriptions', '/webhook-subscriptions');
    expect(list.total).toBe(10);
    const eleventh = { url: 'http://127.0.0.1:9/11', secret: 's' };
    const refused = await h.refused(
      '/webhook-subscriptions',
      eleventh,
      400,
      'MaxSubscriptionsReachedError',
    );
    expect(refused).toEqual({
      code: 'MaxNumberOfResources',
      message: 'The maximum number of subscriptions has been reached.',
    });
    expect((await h.call(made[0]!, { method: 'DELETE' })).status).toBe(200);
    await h.create('/webhook-subscriptions', eleventh);
  });
});
