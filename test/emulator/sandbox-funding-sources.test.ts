// Funding sources and micro-deposits as Dwolla's Sandbox has them (issue 20, item 4), on
// Dwolla's full spec, over plain fetch; bodies judged by the contract suite's validator.
import { describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { bankAccount, moneyKit, verifiedPerson, type Json } from './money-kit.js';

const FS = '/funding-sources/{id}';
const MD = '/funding-sources/{id}/micro-deposits';
const amounts = (a: string, b: string) => ({
  amount1: { value: a, currency: 'USD' },
  amount2: { value: b, currency: 'USD' },
});
const linkNames = (body: Json) => Object.keys(body._links).sort();

describe.skipIf(!HAS_UPSTREAM_SPEC)("funding sources in Dwolla's Sandbox", () => {
  const h = moneyKit();

  it('a bank starts unverified; micro-deposits are pending until a simulation, and any two amounts under $0.10 verify it', async () => {
    const customer = await h.create('/customers', verifiedPerson('Jane'));
    const events = await h.eventsFrom();
    const fs = await h.create(`${customer}/funding-sources`, bankAccount('Checking', '123456789'));
    const added = await h.read(fs, FS);
    expect(added).toMatchObject({
      type: 'bank',
      status: 'unverified',
      name: 'Checking',
      removed: false,
      bankName: 'SANDBOX TEST BANK',
      channels: ['ach'],
    });
    expect(added.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(added).not.toHaveProperty('accountNumber');
    expect(linkNames(added)).toEqual(['customer', 'initiate-micro-deposits', 'remove', 'self']);
    expect(added._links['initiate-micro-deposits'].href).toBe(`${fs}/micro-deposits`);
    expect(added._links.customer.href).toBe(customer);

    // Not initiated yet: nothing to read or verify.
    expect((await h.call(`${fs}/micro-deposits`)).status).toBe(404);
    expect((await h.call(`${fs}/micro-deposits`, { body: amounts('0.01', '0.02') })).status).toBe(
      404,
    );

    const initiated = await h.call(`${fs}/micro-deposits`, { method: 'POST' });
    expect(initiated.status).toBe(201);
    expect(initiated.response.headers.get('location')).toBe(`${fs}/micro-deposits`);
    const pending = await h.read(`${fs}/micro-deposits`, MD);
    expect(pending).toMatchObject({ status: 'pending', created: expect.any(String) });
    expect(pending._links['verify-micro-deposits'].href).toBe(`${fs}/micro-deposits`);
    expect(linkNames(await h.read(fs, FS))).toEqual([
      'customer',
      'micro-deposits',
      'remove',
      'self',
      'verify-micro-deposits',
    ]);
    const again = await h.call(`${fs}/micro-deposits`, { method: 'POST' });
    expect(again.status).toBe(403);
    expect(again.body).toEqual({
      code: 'InvalidResourceState',
      message: 'Micro-deposits already initiated.',
    });
    h.valid(again.body, MD, 'post', '403');

    expect((await h.simulate()).total).toBe(1);
    expect((await h.read(`${fs}/micro-deposits`, MD)).status).toBe('processed');

    const verified = await h.call(`${fs}/micro-deposits`, { body: amounts('0.03', '0.07') });
    expect(verified.status).toBe(200);
    h.valid(verified.body, MD, 'post', '200');
    expect(verified.body._links.self.href).toBe(`${fs}/micro-deposits`);
    const bank = await h.read(fs, FS);
    expect(bank.status).toBe('verified');
    expect(linkNames(bank)).toEqual(['customer', 'micro-deposits', 'remove', 'self']);
    const twice = await h.call(`${fs}/micro-deposits`, { body: amounts('0.03', '0.07') });
    expect(twice.status).toBe(403);
    expect(twice.body.message).toBe('Bank already verified.');
    h.valid(twice.body, MD, 'post', '403');

    const topics = [
      'customer_funding_source_added',
      'customer_microdeposits_added',
      'customer_microdeposits_completed',
      'customer_funding_source_verified',
    ];
    expect(await events()).toEqual(topics.map((topic) => [topic, fs, customer]));
    // One delivery per event, to the subscription.
    expect((await h.webhookTopics()).slice(-4)).toEqual(topics);
  });

  it('verifies before the simulation too; amounts of $0.10 or more are wrong, and the third wrong pair uses up the attempts', async () => {
    const customer = await h.create('/customers', verifiedPerson('Ann'));
    const early = await h.create(`${customer}/funding-sources`, bankAccount('Early'));
    await h.call(`${early}/micro-deposits`, { method: 'POST' });
    expect(
      (await h.call(`${early}/micro-deposits`, { body: amounts('0.01', '0.09') })).status,
    ).toBe(200);
    expect((await h.read(early, FS)).status).toBe('verified');

    const fs = await h.create(`${customer}/funding-sources`, bankAccount('Wrong'));
    await h.call(`${fs}/micro-deposits`, { method: 'POST' });
    const events = await h.eventsFrom();
    for (const pair of [
      ['0.10', '0.02'],
      ['0.00', '0.02'],
      ['0.05', 'abc'],
    ]) {
      const wrong = await h.call(`${fs}/micro-deposits`, { body: amounts(pair[0]!, pair[1]!) });
      expect(wrong.status).toBe(400);
      expect(wrong.body._embedded.errors).toEqual([
        { code: 'Invalid', message: 'Wrong amount(s).', path: '/amount1/value', _links: {} },
      ]);
    }
    expect(await events()).toEqual([['customer_microdeposits_maxattempts', fs, customer]]);
    const exhausted = await h.read(fs, FS);
    expect(exhausted.status).toBe('unverified');
    expect(linkNames(exhausted)).toContain('failed-verification-micro-deposits');
    expect(linkNames(exhausted)).not.toContain('verify-micro-deposits');
    const late = await h.call(`${fs}/micro-deposits`, { body: amounts('0.01', '0.02') });
    expect(late.status).toBe(403);
    expect(late.body).toEqual({ code: 'InvalidResourceState', message: 'Too many attempts.' });
  });

  it('0.09 and 0.09 end in max attempts at once: failed-verification-micro-deposits, then 403', async () => {
    const customer = await h.create('/customers', verifiedPerson('Max'));
    const fs = await h.create(`${customer}/funding-sources`, bankAccount('Max out'));
    await h.call(`${fs}/micro-deposits`, { method: 'POST' });
    const events = await h.eventsFrom();
    const maxed = await h.call(`${fs}/micro-deposits`, { body: amounts('0.09', '0.09') });
    expect(maxed.status).toBe(400);
    expect(await events()).toEqual([['customer_microdeposits_maxattempts', fs, customer]]);
    const bank = await h.read(fs, FS);
    expect(bank._links['failed-verification-micro-deposits'].href).toBe(`${fs}/micro-deposits`);
    expect(bank._links['verify-micro-deposits']).toBeUndefined();
    expect(
      (await h.read(`${fs}/micro-deposits`, MD))._links['verify-micro-deposits'],
    ).toBeUndefined();
    const after = await h.call(`${fs}/micro-deposits`, { body: amounts('0.01', '0.02') });
    expect(after.status).toBe(403);
    expect(after.body.message).toBe('Too many attempts.');
    h.valid(after.body, MD, 'post', '403');
  });

  it('micro-deposits to a bank named R03 fail in the simulation, and the bank is removed', async () => {
    const customer = await h.create('/customers', verifiedPerson('Noacct'));
    const fs = await h.create(`${customer}/funding-sources`, bankAccount('R03'));
    await h.call(`${fs}/micro-deposits`, { method: 'POST' });
    const events = await h.eventsFrom();
    await h.simulate();
    const details = await h.read(`${fs}/micro-deposits`, MD);
    expect(details).toMatchObject({
      status: 'failed',
      failure: { code: 'R03', description: 'No Account/Unable to Locate Account' },
    });
    expect((await h.read(fs, FS)).removed).toBe(true);
    expect(await events()).toEqual([
      ['customer_microdeposits_failed', fs, customer],
      ['customer_funding_source_removed', fs, customer],
    ]);
  });

  it('the same bank twice is 400 DuplicateResource with _links.about; another customer may add it', async () => {
    const customer = await h.create('/customers', verifiedPerson('Dup'));
    const fs = await h.create(`${customer}/funding-sources`, bankAccount('First', '555555555'));
    const duplicate = await h.refused(
      `${customer}/funding-sources`,
      bankAccount('Second', '555555555'),
      400,
      'DuplicateResourceSchema',
    );
    expect(duplicate).toEqual({
      code: 'DuplicateResource',
      message: `Bank already exists: id=${fs.split('/').pop()}`,
      _links: {
        about: {
          href: fs,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'funding-source',
        },
      },
    });
    const other = await h.create('/customers', verifiedPerson('Other'));
    await h.create(`${other}/funding-sources`, bankAccount('Theirs', '555555555'));

    // The account's own banks too (POST /funding-sources declares DuplicateResource).
    const own = await h.create('/funding-sources', bankAccount('Own', '777777777'));
    const again = await h.refused('/funding-sources', bankAccount('Own again', '777777777'), 400);
    h.validAs(again, 'DuplicateResourceSchema');
    expect(again._links.about.href).toBe(own);
  });

  it('a removed bank cannot be updated; added again within 48 h an unverified one comes back, later or verified a new one', async () => {
    const customer = await h.create('/customers', verifiedPerson('Remy'));
    const fs = await h.create(`${customer}/funding-sources`, bankAccount('Old', '444444444'));
    const renamed = await h.call(fs, { body: { name: 'Renamed' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed');
    const events = await h.eventsFrom();
    const removed = await h.call(fs, { body: { removed: true } });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ removed: true });
    expect(linkNames(removed.body)).toEqual(['customer', 'self']);
    const update = await h.call(fs, { body: { name: 'Again' } });
    expect(update.status).toBe(403);
    expect(update.body).toEqual({
      code: 'InvalidResourceState',
      message: 'A removed bank cannot be updated.',
    });
    h.valid(update.body, FS, 'post', '403');

    // Within 48 h of its creation: the same funding source, added again.
    const back = await h.create(`${customer}/funding-sources`, bankAccount('Back', '444444444'));
    expect(back).toBe(fs);
    expect(await h.read(fs, FS)).toMatchObject({ removed: false, name: 'Back' });
    expect(await events()).toEqual([
      ['customer_funding_source_removed', fs, customer],
      ['customer_funding_source_added', fs, customer],
    ]);

    // Its micro-deposits used up, removing and adding it again within 48 h does not reset them.
    await h.call(`${fs}/micro-deposits`, { method: 'POST' });
    await h.call(`${fs}/micro-deposits`, { body: amounts('0.09', '0.09') });
    await h.call(fs, { body: { removed: true } });
    await h.create(`${customer}/funding-sources`, bankAccount('Still', '444444444'));
    const still = await h.read(fs, FS);
    expect(linkNames(still)).toContain('failed-verification-micro-deposits');
    // 48 h after it was created: a new bank, with micro-deposits to initiate.
    await h.call(fs, { body: { removed: true } });
    await h.advance(48 * 60 * 60 * 1000);
    const fresh = await h.create(`${customer}/funding-sources`, bankAccount('New', '444444444'));
    expect(fresh).not.toBe(fs);
    expect(linkNames(await h.read(fresh, FS))).toContain('initiate-micro-deposits');

    // A verified bank removed and added again is a new one.
    const { bank } = await h.verifiedWithBank('Vera');
    const owner = (await h.read(bank, FS))._links.customer.href as string;
    const numbers = { routingNumber: '222222226', accountNumber: '888888888' };
    const verifiedBank = await h.create(`${owner}/funding-sources`, {
      ...bankAccount('Verified'),
      ...numbers,
    });
    await h.verifyBank(verifiedBank);
    await h.call(verifiedBank, { body: { removed: true } });
    const readded = await h.create(`${owner}/funding-sources`, {
      ...bankAccount('Verified again'),
      ...numbers,
    });
    expect(readded).not.toBe(verifiedBank);
    expect((await h.read(readded, FS)).status).toBe('unverified');
  });

  it("only a bank's name changes once verified; a balance is not a bank", async () => {
    const { customer, bank } = await h.verifiedWithBank('Nora');
    const moved = await h.call(bank, { body: { name: 'x', accountNumber: '99999999' } });
    expect(moved.status).toBe(400);
    expect(moved.body._embedded.errors[0]).toMatchObject({
      code: 'NotAllowed',
      path: '/accountNumber',
    });
    const balance = await h.balanceOf(customer);
    const notBank = await h.call(balance, { body: { name: 'Mine' } });
    expect(notBank.status).toBe(400);
    expect(notBank.body._embedded.errors[0].message).toBe(
      "Only funding sources of type='bank' can be updated.",
    );
    h.valid(notBank.body, FS, 'post', '400');
  });
});
