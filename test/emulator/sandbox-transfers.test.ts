// Transfers as Dwolla's Sandbox moves them (issue 20, item 5): legs, simulations, the event
// sequence of each flow, returns, cancellation and fees, on Dwolla's full spec over plain fetch;
// bodies judged by the contract suite's validator.
import { describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { bankAccount, moneyKit, unverifiedPerson, type Json, type Sandbox } from './money-kit.js';

const TRANSFER = '/transfers/{id}';

/** The parties of a flow: verified customers A and B (banks verified), an unverified U who may
 * send from a verified bank, an unverified V with an unverified bank, and the account. */
async function parties(h: Sandbox) {
  const a = await h.verifiedWithBank('Alice');
  const b = await h.verifiedWithBank('Bruno');
  const u = await h.create('/customers', unverifiedPerson('Ursula'));
  const uBank = await h.create(`${u}/funding-sources`, bankAccount("Ursula's"));
  await h.verifyBank(uBank);
  const v = await h.create('/customers', unverifiedPerson('Victor'));
  const vBank = await h.create(`${v}/funding-sources`, bankAccount("Victor's"));
  const account = (await h.call('/')).body._links.account.href as string;
  const accountSources = (await h.call(`${account}/funding-sources`)).body._embedded[
    'funding-sources'
  ] as Json[];
  const own = (type: string) => accountSources.find((fs) => fs.type === type)!._links.self.href;
  const p = {
    A: a.customer,
    B: b.customer,
    U: u,
    V: v,
    account,
    aBank: a.bank,
    bBank: b.bank,
    uBank,
    vBank,
    aBalance: await h.balanceOf(a.customer),
    bBalance: await h.balanceOf(b.customer),
    acctBank: own('bank') as string,
    acctBalance: own('balance') as string,
  };
  // The micro-deposits processed; money on Alice's balance to send from (the account's
  // balance pays at once).
  await h.simulate();
  await h.transfer(p.acctBalance, p.aBalance, '100.00');
  return p;
}
type Parties = Awaited<ReturnType<typeof parties>>;

/**
 * Each documented flow (developers.dwolla.com/docs/balance/transfer-lifecycle; the catalogue's
 * item 62): the events at creation and after each simulation, as `topic customer leg`, where the
 * customer is A, B, U, V or - (the account's own event) and the leg is Y (the transfer created),
 * X (its funding-transfer) or Z (its funded-transfer).
 */
const FLOWS: { flow: string; from: keyof Parties; to: keyof Parties; steps: string[][] }[] = [
  {
    flow: 'v6 verified bank → verified bank',
    from: 'aBank',
    to: 'bBank',
    steps: [
      [
        'customer_bank_transfer_created A X',
        'customer_transfer_created A Y',
        'customer_transfer_created B Y',
      ],
      [
        'customer_bank_transfer_completed A X',
        'customer_transfer_completed A Y',
        'customer_transfer_completed B Y',
        'customer_bank_transfer_created B Z',
      ],
      ['customer_bank_transfer_completed B Z'],
    ],
  },
  {
    flow: 'v3 verified bank → unverified bank',
    from: 'aBank',
    to: 'vBank',
    steps: [
      [
        'customer_bank_transfer_created A X',
        'customer_transfer_created A Y',
        'customer_transfer_created V Y',
      ],
      ['customer_bank_transfer_completed A X'],
      ['customer_transfer_completed A Y', 'customer_transfer_completed V Y'],
    ],
  },
  {
    flow: 'c4 unverified bank → verified bank',
    from: 'uBank',
    to: 'bBank',
    steps: [
      ['customer_transfer_created U Y', 'customer_transfer_created B Y'],
      [
        'customer_transfer_completed U Y',
        'customer_transfer_completed B Y',
        'customer_bank_transfer_created B Z',
      ],
      ['customer_bank_transfer_completed B Z'],
    ],
  },
  {
    flow: 'c3 unverified bank → verified balance',
    from: 'uBank',
    to: 'bBalance',
    steps: [
      ['customer_transfer_created U Y', 'customer_transfer_created B Y'],
      ['customer_transfer_completed U Y', 'customer_transfer_completed B Y'],
    ],
  },
  {
    flow: 'v5 verified bank → own balance',
    from: 'aBank',
    to: 'aBalance',
    steps: [['customer_bank_transfer_created A Y'], ['customer_bank_transfer_completed A Y']],
  },
  {
    flow: 'v8 verified balance → own bank',
    from: 'aBalance',
    to: 'aBank',
    steps: [['customer_bank_transfer_created A Y'], ['customer_bank_transfer_completed A Y']],
  },
  {
    flow: 'v11 verified balance → verified balance, at once',
    from: 'aBalance',
    to: 'bBalance',
    steps: [
      [
        'customer_transfer_created A Y',
        'customer_transfer_created B Y',
        'customer_transfer_completed A Y',
        'customer_transfer_completed B Y',
      ],
    ],
  },
  {
    flow: 'v12 verified balance → verified bank',
    from: 'aBalance',
    to: 'bBank',
    steps: [
      [
        'customer_transfer_created A Y',
        'customer_transfer_created B Y',
        'customer_transfer_completed A Y',
        'customer_transfer_completed B Y',
        'customer_bank_transfer_created B Z',
      ],
      ['customer_bank_transfer_completed B Z'],
    ],
  },
  {
    flow: 'v9 verified balance → unverified bank',
    from: 'aBalance',
    to: 'vBank',
    steps: [
      ['customer_transfer_created A Y', 'customer_transfer_created V Y'],
      ['customer_transfer_completed A Y', 'customer_transfer_completed V Y'],
    ],
  },
  {
    flow: 'a1 account bank → account balance',
    from: 'acctBank',
    to: 'acctBalance',
    steps: [['bank_transfer_created - Y'], ['bank_transfer_completed - Y']],
  },
  {
    flow: 'a9 account balance → verified balance, at once',
    from: 'acctBalance',
    to: 'bBalance',
    steps: [
      [
        'transfer_created - Y',
        'customer_transfer_created B Y',
        'transfer_completed - Y',
        'customer_transfer_completed B Y',
      ],
    ],
  },
  {
    flow: 'a5 account bank → verified bank',
    from: 'acctBank',
    to: 'bBank',
    steps: [
      ['bank_transfer_created - X', 'transfer_created - Y', 'customer_transfer_created B Y'],
      [
        'bank_transfer_completed - X',
        'transfer_completed - Y',
        'customer_transfer_completed B Y',
        'customer_bank_transfer_created B Z',
      ],
      ['customer_bank_transfer_completed B Z'],
    ],
  },
  {
    flow: 'a3 account bank → unverified bank',
    from: 'acctBank',
    to: 'vBank',
    steps: [
      ['bank_transfer_created - X', 'transfer_created - Y', 'customer_transfer_created V Y'],
      ['bank_transfer_completed - X'],
      ['transfer_completed - Y', 'customer_transfer_completed V Y'],
    ],
  },
  {
    flow: 'a10 account balance → verified bank',
    from: 'acctBalance',
    to: 'bBank',
    steps: [
      [
        'transfer_created - Y',
        'customer_transfer_created B Y',
        'transfer_completed - Y',
        'customer_transfer_completed B Y',
        'customer_bank_transfer_created B Z',
      ],
      ['customer_bank_transfer_completed B Z'],
    ],
  },
  {
    flow: 'c2 unverified bank → account bank',
    from: 'uBank',
    to: 'acctBank',
    steps: [
      ['customer_transfer_created U Y', 'transfer_created - Y'],
      ['customer_transfer_completed U Y', 'transfer_completed - Y', 'bank_transfer_created - Z'],
      ['bank_transfer_completed - Z'],
    ],
  },
  {
    flow: 'v1 verified bank → account balance',
    from: 'aBank',
    to: 'acctBalance',
    steps: [
      [
        'customer_bank_transfer_created A X',
        'customer_transfer_created A Y',
        'transfer_created - Y',
      ],
      [
        'customer_bank_transfer_completed A X',
        'customer_transfer_completed A Y',
        'transfer_completed - Y',
      ],
    ],
  },
];

describe.skipIf(!HAS_UPSTREAM_SPEC)("transfers in Dwolla's Sandbox", () => {
  const h = moneyKit();

  /** Events as `topic customer leg`, naming customers and legs as FLOWS does. */
  async function named(p: Parties, transfer: string, events: [string, string, string?][]) {
    const y = await h.read(transfer, TRANSFER);
    const legs: Record<string, string> = { [transfer]: 'Y' };
    if (y._links['funding-transfer']) legs[y._links['funding-transfer'].href] = 'X';
    if (y._links['funded-transfer']) legs[y._links['funded-transfer'].href] = 'Z';
    const who: Record<string, string> = { [p.A]: 'A', [p.B]: 'B', [p.U]: 'U', [p.V]: 'V' };
    return events.map(([topic, resource, customer]) => {
      return `${topic} ${customer ? (who[customer] ?? customer) : '-'} ${legs[resource] ?? resource}`;
    });
  }

  it.each(FLOWS)('$flow: legs, simulations and events as documented', async (flow) => {
    const p = await parties(h);
    const events = await h.eventsFrom();
    const transfer = await h.transfer(p[flow.from], p[flow.to], '10.00');
    const seen: string[][] = [];
    let before = 0;
    for (let step = 0; step < flow.steps.length; step++) {
      if (step > 0) await h.simulate();
      const all = await events();
      seen.push(await named(p, transfer, all.slice(before)));
      before = all.length;
    }
    expect(seen).toEqual(flow.steps);
    // Nothing is left to process, and every leg is processed.
    expect((await h.simulate()).total).toBe(0);
    const y = await h.read(transfer, TRANSFER);
    expect(y.status).toBe('processed');
    expect(y.amount).toEqual({ value: '10.00', currency: 'USD' });
    expect(y._links['source-funding-source'].href).toBe(p[flow.from]);
    expect(y._links['destination-funding-source'].href).toBe(p[flow.to]);
    expect(y._links.cancel).toBeUndefined();
    for (const rel of ['funding-transfer', 'funded-transfer']) {
      const leg = y._links[rel] && (await h.read(y._links[rel].href, TRANSFER));
      if (!leg) continue;
      expect(leg.status, rel).toBe('processed');
      const back = rel === 'funding-transfer' ? 'funded-transfer' : 'funding-transfer';
      expect(leg._links[back].href).toBe(transfer);
    }
    // The webhooks deliver the same events.
    const topics = flow.steps.flat().map((e) => e.split(' ')[0]);
    expect((await h.webhookTopics()).slice(-topics.length)).toEqual(topics);
  });

  it('links a transfer to its parties, lists its legs under each customer, and moves the balances', async () => {
    const p = await parties(h);
    const transfer = await h.transfer(p.aBank, p.bBank, '25.00');
    const y = await h.read(transfer, TRANSFER);
    expect(y._links.source.href).toBe(p.A);
    expect(y._links.destination.href).toBe(p.B);
    expect(y._links.cancel.href).toBe(transfer);
    const funding = y._links['funding-transfer'].href as string;
    expect(await h.read(funding, TRANSFER)).toMatchObject({
      status: 'pending',
      amount: { value: '25.00', currency: 'USD' },
    });
    const ofA = await h.read(`${p.A}/transfers`, '/customers/{id}/transfers');
    const hrefs = (list: Json) =>
      (list._embedded.transfers as Json[]).map((t) => t._links.self.href);
    expect(hrefs(ofA)).toEqual(expect.arrayContaining([transfer, funding]));
    expect(await h.balance(p.aBalance)).toBe('100.00');
    await h.simulate();
    expect(await h.balance(p.aBalance)).toBe('100.00'); // in from the bank, out to Bruno
    expect(await h.balance(p.bBalance)).toBe('0.00'); // in from Alice, out to his bank
    const payout = (await h.read(transfer, TRANSFER))._links['funded-transfer'].href as string;
    expect(hrefs(await h.read(`${p.B}/transfers`, '/customers/{id}/transfers'))).toEqual(
      expect.arrayContaining([transfer, payout]),
    );
    expect(hrefs(await h.read(`${p.B}/transfers`, '/customers/{id}/transfers'))).not.toContain(
      funding,
    );
    await h.transfer(p.aBalance, p.bBalance, '30.00');
    expect(await h.balance(p.aBalance)).toBe('70.00');
    expect(await h.balance(p.bBalance)).toBe('30.00');
  });

  it('R01 on the source bank fails the debit leg and the transfer, with a failure resource; the bank stays', async () => {
    const p = await parties(h);
    const r01 = await h.create(`${p.A}/funding-sources`, bankAccount('R01'));
    await h.verifyBank(r01);
    await h.simulate(); // its micro-deposits
    const transfer = await h.transfer(r01, p.bBank, '10.00');
    const funding = (await h.read(transfer, TRANSFER))._links['funding-transfer'].href as string;
    const events = await h.eventsFrom();
    await h.simulate();
    expect(await named(p, transfer, await events())).toEqual([
      'customer_bank_transfer_failed A X',
      'customer_transfer_failed A Y',
      'customer_transfer_failed B Y',
    ]);
    for (const leg of [funding, transfer]) {
      const failed = await h.read(leg, TRANSFER);
      expect(failed.status).toBe('failed');
      expect(failed._links.cancel).toBeUndefined();
      const failure = await h.read(failed._links.failure.href, '/transfers/{id}/failure');
      expect(failure).toMatchObject({ code: 'R01', description: 'Insufficient Funds' });
      expect(failure.explanation).toEqual(expect.any(String));
      expect(failure._links['failed-funding-source'].href).toBe(r01);
      expect(failure._links.customer.href).toBe(p.A);
      expect(failure._links.self.href).toBe(`${leg}/failure`);
    }
    expect((await h.read(r01, '/funding-sources/{id}')).removed).toBe(false);
    // The sandbox dashboard shows the failed transfer with its return code.
    const page = await (await fetch(h.emu.dashboardUrl)).text();
    const row = new RegExp(`id="transfers-${transfer.split('/').pop()}"[^]*?</tr>`).exec(page);
    expect(row?.[0]).toContain('<code>R01</code>');
    expect(await h.balance(p.aBalance)).toBe('100.00');
    expect(await h.balance(p.bBalance)).toBe('0.00');
    expect((await h.simulate()).total).toBe(0);
    // A transfer that did not fail has no failure.
    const ok = await h.transfer(p.aBalance, p.bBalance, '1.00');
    const none = await h.call(`${ok}/failure`);
    expect(none.status).toBe(404);
    h.valid(none.body, '/transfers/{id}/failure', 'get', '404');
  });

  it('R03 on a verified receiver’s bank: the transfer is processed, the payout fails, the bank is removed, the money stays on the balance', async () => {
    const p = await parties(h);
    // Any case; unverified, as a bank may be to receive (its micro-deposits would fail).
    const r03 = await h.create(`${p.B}/funding-sources`, bankAccount('r03 '));
    const transfer = await h.transfer(p.aBalance, r03, '10.00');
    const payout = (await h.read(transfer, TRANSFER))._links['funded-transfer'].href as string;
    expect(await h.balance(p.bBalance)).toBe('0.00');
    const events = await h.eventsFrom();
    await h.simulate();
    expect(await named(p, transfer, await events())).toEqual([
      'customer_bank_transfer_failed B Z',
      'customer_funding_source_removed B ' + r03,
    ]);
    expect(await h.status(transfer)).toBe('processed');
    const failure = await h.read(`${payout}/failure`, '/transfers/{id}/failure');
    expect(failure).toMatchObject({
      code: 'R03',
      description: 'No Account/Unable to Locate Account',
    });
    expect(failure._links['failed-funding-source'].href).toBe(r03);
    expect((await h.read(r03, '/funding-sources/{id}')).removed).toBe(true);
    expect(await h.balance(p.bBalance)).toBe('10.00');
  });

  it('R03 on an unverified receiver’s bank fails the transfer and gives the sender’s balance back', async () => {
    const p = await parties(h);
    const r03 = await h.create(`${p.V}/funding-sources`, bankAccount('R03'));
    const transfer = await h.transfer(p.aBalance, r03, '40.00');
    expect(await h.balance(p.aBalance)).toBe('60.00');
    await h.simulate();
    expect(await h.status(transfer)).toBe('failed');
    expect(await h.balance(p.aBalance)).toBe('100.00');
    expect((await h.read(r03, '/funding-sources/{id}')).removed).toBe(true);
  });

  it('R01-late and R03-late process first and fail at the next simulation (a return after settlement)', async () => {
    const p = await parties(h);
    const r01late = await h.create(`${p.U}/funding-sources`, bankAccount('R01-late'));
    await h.verifyBank(r01late);
    await h.simulate(); // its micro-deposits
    const collected = await h.transfer(r01late, p.bBalance, '10.00');
    const r03late = await h.create(`${p.V}/funding-sources`, bankAccount('R03-late'));
    const paid = await h.transfer(p.aBalance, r03late, '20.00');
    const events = await h.eventsFrom();
    await h.simulate();
    expect([await h.status(collected), await h.status(paid)]).toEqual(['processed', 'processed']);
    expect(await h.balance(p.bBalance)).toBe('10.00');
    expect(await h.balance(p.aBalance)).toBe('80.00');
    const settled = (await events()).map(([topic]) => topic);
    expect(settled).toEqual(Array(4).fill('customer_transfer_completed'));
    // The receiver spends part of what it was paid before the return comes.
    await h.transfer(p.bBalance, p.vBank, '4.00');
    const returned = await h.eventsFrom();
    await h.simulate();
    expect([await h.status(collected), await h.status(paid)]).toEqual(['failed', 'failed']);
    expect((await h.read(`${collected}/failure`, '/transfers/{id}/failure')).code).toBe('R01');
    expect((await h.read(`${paid}/failure`, '/transfers/{id}/failure')).code).toBe('R03');
    expect(await h.balance(p.bBalance)).toBe('-4.00'); // taken back from the receiver
    expect(await h.balance(p.aBalance)).toBe('100.00'); // given back to the sender
    expect((await h.read(r03late, '/funding-sources/{id}')).removed).toBe(true);
    expect((await h.read(r01late, '/funding-sources/{id}')).removed).toBe(false);
    const failed = (await returned()).filter(([topic]) => !topic.includes('completed'));
    expect(failed).toEqual([
      ['customer_transfer_failed', collected, p.U],
      ['customer_transfer_failed', collected, p.B],
      ['customer_funding_source_negative', p.bBalance, p.B],
      ['customer_transfer_failed', paid, p.A],
      ['customer_transfer_failed', paid, p.V],
      ['customer_funding_source_removed', r03late, p.V],
    ]);
    // A bank named for a debit return receives as usual.
    const toR01 = await h.transfer(p.aBalance, r01late, '1.00');
    await h.simulate();
    await h.simulate();
    expect(await h.status(toR01)).toBe('processed');
  });

  it('cancels only while the transfer shows a cancel link: its pending legs together, with events and the balance given back', async () => {
    const p = await parties(h);
    const transfer = await h.transfer(p.aBank, p.bBank, '10.00');
    const funding = (await h.read(transfer, TRANSFER))._links['funding-transfer'].href as string;
    const events = await h.eventsFrom();
    const cancelled = await h.call(transfer, { body: { status: 'cancelled' } });
    expect(cancelled.status).toBe(200);
    h.valid(cancelled.body, TRANSFER, 'post');
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body._links.cancel).toBeUndefined();
    expect(await h.status(funding)).toBe('cancelled');
    expect(await named(p, transfer, await events())).toEqual([
      'customer_bank_transfer_cancelled A X',
      'customer_transfer_cancelled A Y',
      'customer_transfer_cancelled B Y',
    ]);
    const again = await h.refused(transfer, { status: 'cancelled' }, 400, 'StatusNotAllowedError');
    expect(again._embedded.errors).toEqual([
      { code: 'NotAllowed', message: 'Status not allowed.', path: '/status', _links: {} },
    ]);
    expect((await h.simulate()).total).toBe(0);

    // A balance-funded payout to a bank, pending: cancelling gives the balance back.
    const payout = await h.transfer(p.aBalance, p.vBank, '30.00');
    expect(await h.balance(p.aBalance)).toBe('70.00');
    expect((await h.call(payout, { body: { status: 'cancelled' } })).status).toBe(200);
    expect(await h.balance(p.aBalance)).toBe('100.00');

    // Processed at once: nothing to cancel.
    const instant = await h.transfer(p.aBalance, p.bBalance, '5.00');
    expect((await h.read(instant, TRANSFER))._links.cancel).toBeUndefined();
    await h.refused(instant, { status: 'cancelled' }, 400, 'StatusNotAllowedError');
    // Dwolla's spec allows only "cancelled".
    expect((await h.call(instant, { body: { status: 'processed' } })).status).toBe(400);
  });

  it('removing a bank cancels the transfers still pending to it', async () => {
    const p = await parties(h);
    const transfer = await h.transfer(p.aBalance, p.vBank, '10.00');
    await h.call(p.vBank, { body: { removed: true } });
    expect(await h.status(transfer)).toBe('cancelled');
    expect(await h.balance(p.aBalance)).toBe('100.00');
  });

  it('facilitator fees are transfers of their own to the account, listed under the transfer', async () => {
    const p = await parties(h);
    const accountBefore = await h.balance(p.acctBalance);
    const fee = (customer: string, value: string) => ({
      _links: { 'charge-to': { href: customer } },
      amount: { value, currency: 'USD' },
    });
    const transfer = await h.transfer(p.aBalance, p.bBank, '20.00', {
      fees: [fee(p.B, '1.50'), fee(p.A, '0.50')],
    });
    const y = await h.read(transfer, TRANSFER);
    expect(y._links.fees.href).toBe(`${transfer}/fees`);
    const fees = await h.read(`${transfer}/fees`, '/transfers/{id}/fees');
    expect(fees.total).toBe(2);
    expect(fees.transactions).toEqual(fees._embedded.fees);
    const [first, second] = fees.transactions as [Json, Json];
    expect(first).toMatchObject({
      status: 'processed',
      amount: { value: '1.50', currency: 'USD' },
    });
    expect(first._links.source.href).toBe(p.B);
    expect(first._links.destination.href).toBe(p.account);
    expect(second._links.source.href).toBe(p.A);
    h.valid(await h.read(first._links.self.href, TRANSFER), TRANSFER);
    expect(await h.balance(p.acctBalance)).toBe(
      (Number(accountBefore) + 2).toFixed(2), // both fees
    );
    expect(await h.balance(p.aBalance)).toBe('79.50'); // 20.00 and Alice's 0.50 fee
    // Bruno's fee came out of what he received: his bank gets the rest.
    const payout = await h.read(y._links['funded-transfer'].href, TRANSFER);
    expect(payout.amount.value).toBe('18.50');
    expect(await h.balance(p.bBalance)).toBe('0.00');

    // Fees Dwolla refuses: more than half the amount, charged to a customer not in the transfer.
    for (const [charged, value, schema, message] of [
      [p.B, '1.01', 'FacilitatorFeeSumTooLargeError', 'Facilitator fee sum too large.'],
      [p.V, '0.10', 'FacilitatorFeeAccountNotFoundError', 'Facilitator fee account not found.'],
    ] as const) {
      const body = {
        _links: { source: { href: p.aBalance }, destination: { href: p.bBalance } },
        amount: { currency: 'USD', value: '2.00' },
        fees: [fee(charged, value)],
      };
      const refused = await h.refused('/transfers', body, 400, schema);
      expect(refused._embedded.errors[0].message).toBe(message);
    }
  });

  it("refuses what Dwolla refuses, each with its spec's error", async () => {
    const p = await parties(h);
    const send = (source: string, destination: string, value = '1.00') => ({
      _links: { source: { href: source }, destination: { href: destination } },
      amount: { currency: 'USD', value },
    });
    const nowhere = `${h.emu.url}/funding-sources/4d3c2b1a-0000-4000-8000-000000000000`;
    // Metadata: at most 10 pairs of strings under 255 characters, never from a balance.
    const pairs = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));
    const badMetadata = ['InvalidMetadataError', 'Invalid metadata.', '/metadata'] as const;
    const badAmount = [
      'CannotParseAmountError',
      'Invalid amount. The supplied amount must be a positive number.',
      '/amount/value',
    ] as const;
    const cases: [Json, string, string, string][] = [
      [
        send(nowhere, p.bBank),
        'SourceNotFoundError',
        'Funding source not found.',
        '/_links/source/href',
      ],
      [
        send(p.aBank, nowhere),
        'ReceiverNotFoundError',
        'Receiver not found.',
        '/_links/destination/href',
      ],
      [
        send(p.vBank, p.bBank),
        'InvalidSourceFundingSourceError',
        'Invalid funding source.',
        '/_links/source/href',
      ],
      [
        send(p.aBank, p.aBank),
        'SourceSameAsDestinationError',
        'Receiver cannot be the owner of the source funding source.',
        '/_links/destination/href',
      ],
      [
        send(p.aBalance, p.bBalance, '100.01'),
        'InsufficientFundsError',
        'Insufficient funds.',
        '/_links/source/href',
      ],
      [
        send(p.aBank, p.bBank, '10000.01'),
        'InvalidAmountLimitError',
        'Invalid amount. The supplied amount is greater than your transaction limit.',
        '/amount/value',
      ],
      [send(p.aBank, p.bBank, '-1.00'), ...badAmount],
      [send(p.aBank, p.bBank, '0.001'), ...badAmount],
      [{ ...send(p.aBank, p.bBank), metadata: pairs(11) }, ...badMetadata],
      [{ ...send(p.aBank, p.bBank), metadata: { note: 'x'.repeat(255) } }, ...badMetadata],
      [{ ...send(p.aBank, p.bBank), metadata: { count: 1 } }, ...badMetadata],
      [{ ...send(p.aBalance, p.bBalance), metadata: pairs(1) }, ...badMetadata],
    ];
    for (const [body, schema, message, path] of cases) {
      const refused = await h.refused('/transfers', body, 400, schema);
      expect(refused._embedded.errors, schema).toEqual([
        { code: expect.any(String), message, path, _links: {} },
      ]);
    }
    const tagged = await h.transfer(p.aBank, p.bBank, '1.00', { metadata: pairs(10) });
    expect((await h.read(tagged, TRANSFER)).metadata).toEqual(pairs(10));
    // Deactivated customers neither send nor receive.
    await h.call(p.B, { body: { status: 'deactivated' } });
    for (const [body, schema, message] of [
      [send(p.aBalance, p.bBalance), 'ReceiverRestrictedError', 'Receiver restricted.'],
      [send(p.bBalance, p.aBalance), 'SenderRestrictedError', 'Sender restricted.'],
    ] as const) {
      const refused = await h.refused('/transfers', body, 400, schema);
      expect(refused._embedded.errors[0]).toMatchObject({ code: 'Restricted', message });
    }
    // Amounts past two decimals are rounded half to even.
    const rounded = await h.transfer(p.aBalance, p.vBank, '1.005');
    expect((await h.read(rounded, TRANSFER)).amount.value).toBe('1.00');
    const roundedUp = await h.transfer(p.aBalance, p.vBank, '1.015');
    expect((await h.read(roundedUp, TRANSFER)).amount.value).toBe('1.02');
  });

  it('a simulation processes the last 500 pending bank legs, the older ones at the next', async () => {
    const p = await parties(h);
    await h.unsubscribe();
    const transfers: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      transfers.push(
        ...(await Promise.all(
          Array.from({ length: 84 }, () => h.transfer(p.uBank, p.bBalance, '0.01')),
        )),
      );
    }
    expect(transfers).toHaveLength(504);
    expect((await h.simulate()).total).toBe(500);
    expect(await h.balance(p.bBalance)).toBe('5.00');
    // The oldest four wait: Ursula's pending transfers, newest first, are the first four made.
    const pending = await h.read(`${p.U}/transfers?status=pending`, '/customers/{id}/transfers');
    expect(pending.total).toBe(4);
    expect((pending._embedded.transfers as Json[]).map((t) => t._links.self.href)).toEqual(
      transfers.slice(0, 4).reverse(),
    );
    expect((await h.simulate()).total).toBe(4);
    expect(await h.balance(p.bBalance)).toBe('5.04');
  });
});
