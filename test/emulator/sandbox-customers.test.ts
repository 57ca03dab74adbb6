// Issue 20, items 1 and 7 (customers): the Sandbox's verification statuses, their links, events
// and webhooks, retries and status changes, beneficial owners, verification directives and the
// duplicate email, on Dwolla's full spec over plain fetch; bodies judged by the contract oracle.
import { describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { beneficialOwner, business, personal, rels, sandboxKit, type Json } from './sandbox-kit.js';

/** Links every customer has whatever its status (itself and the lists under it). */
const LISTS = ['beneficial-owners', 'documents', 'funding-sources', 'self', 'transfers'];

describe.skipIf(!HAS_UPSTREAM_SPEC)("customers in the Sandbox, on Dwolla's full spec", () => {
  const kit = sandboxKit();
  const { call, create, valid } = kit;
  const get = async (href: string) => {
    const { status, body } = await call(href);
    expect(status).toBe(200);
    valid(body, '/customers/{id}');
    return body;
  };
  const update = async (href: string, body: unknown) =>
    call(href, { body, contentType: 'application/json' });
  /** The customer's status links (the lists every customer has left out). */
  const statusRels = (body: Json) => rels(body).filter((r) => !LISTS.includes(r) && !isList(r));
  const isList = (rel: string) => ['mass-payments', 'labels', 'exchanges', 'kba'].includes(rel);

  it.each([
    ['verified', ['deactivate', 'edit', 'edit-form', 'receive', 'send'], 'customer_verified'],
    [
      'retry',
      ['deactivate', 'edit', 'edit-form', 'retry-verification'],
      'customer_reverification_needed',
    ],
    ['kba', [], 'customer_kba_verification_needed'],
    [
      'document',
      ['document-form', 'verify-with-document'],
      'customer_verification_document_needed',
    ],
    ['suspended', [], 'customer_suspended'],
  ])(
    'a personal customer named %s gets that status, its links, and the status topic after customer_created',
    async (name, links, topic) => {
      const href = await create('/customers', personal(name));
      const body = await get(href);
      expect(body).toMatchObject({ type: 'personal', status: name, firstName: name });
      expect(body).not.toHaveProperty('ssn');
      expect(statusRels(body)).toEqual(links);
      if (links.includes('send')) expect(body._links.send.href).toBe(`${kit.emu.url}/transfers`);
      if (links.includes('verify-with-document')) {
        expect(body._links['verify-with-document']).toMatchObject({
          href: `${href}/documents`,
          'resource-type': 'document',
        });
      }
      expect(await kit.topics()).toEqual(['customer_created', topic]);
      expect(await kit.webhookTopics()).toEqual(['customer_created', topic]);
      expect(kit.received.map((r) => r.event.resourceId)).toEqual([body.id, body.id]);
    },
  );

  it('any other name is verified; unverified and receive-only customers stay unverified whatever their name', async () => {
    expect((await get(await create('/customers', personal('Jane')))).status).toBe('verified');
    const unverified = await get(
      await create('/customers', {
        firstName: 'document',
        lastName: 'Doe',
        email: 'u@example.com',
        type: 'unverified',
      }),
    );
    expect(unverified.status).toBe('unverified');
    expect(statusRels(unverified)).toEqual(['deactivate', 'edit', 'edit-form', 'receive', 'send']);
    const receiveOnly = await get(
      await create('/customers', {
        firstName: 'retry',
        lastName: 'Doe',
        email: 'r@example.com',
        type: 'receive-only',
      }),
    );
    expect(receiveOnly.status).toBe('unverified');
    expect(statusRels(receiveOnly)).toEqual(['deactivate', 'edit', 'edit-form', 'receive']);
    expect(await kit.topics()).toEqual([
      'customer_created',
      'customer_verified',
      'customer_created',
      'customer_created',
    ]);
  });

  it.each([
    ['Acme', 'retry', 'retry', ['retry-verification', 'retry-with-full-ssn']],
    ['retry', 'Jane', 'retry', ['retry-verification']],
    ['Acme', 'document', 'document', ['document-form', 'verify-with-document']],
    ['document', 'Jane', 'document', ['document-form', 'verify-business-with-document']],
    [
      'document',
      'document',
      'document',
      ['document-form', 'verify-controller-and-business-with-document'],
    ],
    ['Acme', 'suspended', 'suspended', []],
    ['Acme', 'Jane', 'verified', ['certify-beneficial-ownership', 'receive']],
  ])(
    'a business named %s with a controller named %s is %s, with its links',
    async (name, controller, status, links) => {
      const href = await create('/customers', business(name, controller));
      const body = await get(href);
      expect(body.status).toBe(status);
      expect(body.controller).not.toHaveProperty('ssn');
      expect(body.controller).not.toHaveProperty('dateOfBirth');
      const shown = statusRels(body).filter(
        (r) => !['deactivate', 'edit', 'edit-form'].includes(r),
      );
      expect(shown).toEqual(links);
      if (links.includes('retry-with-full-ssn')) {
        expect(body._embedded.errors).toEqual([
          {
            code: 'Required',
            message: expect.any(String),
            _links: { 'retry-with-full-ssn': expect.objectContaining({ href }) },
          },
        ]);
      } else expect(body).not.toHaveProperty('_embedded');
      expect((await kit.topics())[0]).toBe('customer_created');
    },
  );

  it('retry: a changed name and the full SSN verify; a short SSN is refused, a second retry is 403', async () => {
    const href = await create('/customers', personal('retry'));
    const retry = { ...personal('Jane', 'retry'), ssn: '123-45-6789' };

    const short = await update(href, { ...retry, ssn: '6789' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      code: 'ValidationError',
      _embedded: { errors: [{ code: 'Invalid', path: '/ssn' }] },
    });

    const retried = await update(href, retry);
    expect(retried.status).toBe(200);
    valid(retried.body, '/customers/{id}', 'post');
    expect(retried.body).toMatchObject({ status: 'verified', firstName: 'Jane' });
    expect(retried.body).not.toHaveProperty('ssn');
    expect(retried.body._links).toHaveProperty('send');
    expect(retried.body._links).not.toHaveProperty('retry-verification');

    const again = await update(href, retry);
    expect(again.status).toBe(403);
    expect(again.body).toEqual({ code: 'InvalidResourceState', message: expect.any(String) });
    expect(await kit.topics()).toEqual([
      'customer_created',
      'customer_reverification_needed',
      'customer_verified',
    ]);

    // The name unchanged: no second retry, a document is needed.
    const stubborn = await create('/customers', personal('retry', 2));
    const unchanged = await update(stubborn, { ...personal('retry', 2), ssn: '123456789' });
    expect(unchanged.body.status).toBe('document');
    // A verified customer has nothing to retry.
    const verified = await create('/customers', personal('Ann'));
    expect((await update(verified, { ...retry, email: 'ann2@example.com' })).status).toBe(403);
  });

  it("a business whose controller failed retries with the controller's full SSN", async () => {
    const href = await create('/customers', business('Acme', 'retry'));
    const body = business('Acme', 'John');
    const short = await update(href, body);
    expect(short.status).toBe(400);
    expect(short.body._embedded.errors).toMatchObject([{ path: '/controller/ssn' }]);
    const retried = await update(href, {
      ...body,
      controller: { ...body.controller, ssn: '123-45-6789' },
    });
    expect(retried.status).toBe(200);
    valid(retried.body, '/customers/{id}', 'post');
    expect(retried.body.status).toBe('verified');
    expect(retried.body).not.toHaveProperty('_embedded');
    expect(retried.body.controller).toMatchObject({ firstName: 'John' });
    expect(retried.body.controller).not.toHaveProperty('ssn');
  });

  it('a verified business sends once it certifies its beneficial ownership; a new owner asks it to recertify', async () => {
    const href = await create('/customers', business('Acme', 'Jane'));
    const ownership = async (method = 'GET', body?: unknown) => {
      const answer = await call(`${href}/beneficial-ownership`, { method, body });
      expect(answer.status).toBe(200);
      valid(answer.body, '/customers/{id}/beneficial-ownership', method.toLowerCase());
      expect(answer.body._links.self.href).toBe(`${href}/beneficial-ownership`);
      return answer.body.status;
    };
    expect(await ownership()).toBe('uncertified');
    expect((await get(href))._links['certify-beneficial-ownership'].href).toBe(
      `${href}/beneficial-ownership`,
    );
    const refused = await call(`${href}/beneficial-ownership`, { body: { status: 'recertify' } });
    expect(refused.status).toBe(400);
    expect(refused.body._embedded.errors).toMatchObject([{ code: 'Invalid', path: '/status' }]);

    expect(await ownership('POST', { status: 'certified' })).toBe('certified');
    const certified = await get(href);
    expect(statusRels(certified)).toEqual(['deactivate', 'edit', 'edit-form', 'receive', 'send']);

    await create(`${href}/beneficial-owners`, {
      firstName: 'Ann',
      lastName: 'Owner',
      dateOfBirth: '1970-01-01',
      ssn: '123-46-7890',
      address: { address1: '1 Main St', city: 'Ames', stateProvinceRegion: 'IA', country: 'US' },
    });
    expect(await ownership()).toBe('recertify');
    // (Dwolla gives a business that must recertify a grace period: it still sends.)
    expect(statusRels(await get(href))).toContain('certify-beneficial-ownership');
    expect(statusRels(await get(href))).toContain('send');

    const person = await create('/customers', personal('Ann'));
    const forbidden = await call(`${person}/beneficial-ownership`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('Forbidden');
  });

  it('deactivate, reactivate and suspend move the status with their events; Dwolla refuses the rest with 403', async () => {
    const href = await create('/customers', personal('retry'));
    const deactivated = await update(href, { status: 'deactivated' });
    expect(deactivated.status).toBe(200);
    valid(deactivated.body, '/customers/{id}', 'post');
    expect(deactivated.body.status).toBe('deactivated');
    expect(statusRels(deactivated.body)).toEqual(['reactivate']);
    expect((await update(href, { email: 'new@example.com' })).status).toBe(403);
    expect((await update(href, { status: 'deactivated' })).status).toBe(403);

    const reactivated = await update(href, { status: 'reactivated' });
    expect(reactivated.body.status).toBe('retry'); // the status it had
    expect((await update(href, { status: 'reactivated' })).status).toBe(403);

    const suspended = await update(href, { status: 'suspended' });
    expect(suspended.body.status).toBe('suspended');
    expect(statusRels(suspended.body)).toEqual([]);
    const refused = await update(href, { status: 'deactivated' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('InvalidResourceState');
    expect((await update(href, { status: 'verified' })).status).toBe(400);

    expect(await kit.topics(href.split('/').pop())).toEqual([
      'customer_created',
      'customer_reverification_needed',
      'customer_deactivated',
      'customer_activated',
      'customer_suspended',
    ]);
    expect(await kit.webhookTopics()).toEqual(await kit.topics());
  });

  it('an unverified customer upgraded to personal is verified by its name', async () => {
    const href = await create('/customers', {
      firstName: 'Jo',
      lastName: 'Doe',
      email: 'jo@example.com',
      type: 'unverified',
    });
    const upgraded = await update(href, { ...personal('kba'), email: 'jo@example.com' });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({ type: 'personal', status: 'kba' });
    expect(await kit.topics()).toEqual(['customer_created', 'customer_kba_verification_needed']);
  });

  it('beneficial owners: incomplete and document by firstName, else verified; one retry of an incomplete owner', async () => {
    const customer = await create('/customers', business('Acme', 'Jane'));
    const statusOf = async (href: string) => {
      const { body } = await call(href);
      valid(body, '/beneficial-owners/{id}');
      expect(body).not.toHaveProperty('ssn');
      return body;
    };
    const incomplete = await create(`${customer}/beneficial-owners`, beneficialOwner('incomplete'));
    const document = await create(`${customer}/beneficial-owners`, beneficialOwner('document'));
    const verified = await create(`${customer}/beneficial-owners`, beneficialOwner('Jane'));
    const first = await statusOf(incomplete);
    expect(first.verificationStatus).toBe('incomplete');
    expect(first._links['retry-verification'].href).toBe(incomplete);
    const second = await statusOf(document);
    expect(second.verificationStatus).toBe('document');
    expect(second._links['verify-with-document'].href).toBe(`${document}/documents`);
    expect((await statusOf(verified)).verificationStatus).toBe('verified');

    const retried = await call(incomplete, {
      body: beneficialOwner('Janet'),
      contentType: 'application/json',
    });
    expect(retried.status).toBe(200);
    valid(retried.body, '/beneficial-owners/{id}', 'post');
    expect(retried.body.verificationStatus).toBe('verified');
    expect(retried.body._links).not.toHaveProperty('retry-verification');
    const again = await call(incomplete, {
      body: beneficialOwner('Jo'),
      contentType: 'application/json',
    });
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('InvalidResourceState');

    expect((await kit.topics()).slice(2)).toEqual([
      'customer_beneficial_owner_created',
      'customer_beneficial_owner_reverification_needed',
      'customer_beneficial_owner_created',
      'customer_beneficial_owner_verification_document_needed',
      'customer_beneficial_owner_created',
      'customer_beneficial_owner_verified',
      'customer_beneficial_owner_verified',
    ]);
    const events = await call('/events?limit=200');
    const ownerEvent = (events.body._embedded.events as Json[]).find(
      (e) => e.topic === 'customer_beneficial_owner_created',
    )!;
    expect(ownerEvent._links.customer.href).toBe(customer);
  });

  it('the customer-verification simulation puts a directive on a business: its status, link and event', async () => {
    const href = await create('/customers', business('Acme', 'Jane'));
    const simulate = (errorCode: string, customer = href) =>
      call('/sandbox-simulations', {
        body: {
          type: 'customer-verification',
          _links: { customer: { href: customer } },
          errorCode,
        },
      });

    const ein = await simulate('EINDocumentRequired');
    expect(ein.status).toBe(200);
    valid(ein.body, '/sandbox-simulations', 'post');
    const body = await get(href);
    expect(body.status).toBe('document');
    expect(body._embedded.errors).toEqual([
      {
        code: 'EINDocumentRequired',
        message: expect.any(String),
        _links: { 'upload-ein-document': expect.objectContaining({ href: `${href}/documents` }) },
      },
    ]);
    expect(body._links).not.toHaveProperty('send');

    const other = await create('/customers', business('Beta', 'Jane', 2));
    await simulate('POBoxNotAllowed', other);
    const retry = await get(other);
    expect(retry.status).toBe('retry');
    expect(retry._embedded.errors).toMatchObject([
      { code: 'POBoxNotAllowed', _links: { 'retry-verification': { href: other } } },
    ]);
    expect(await kit.topics()).toEqual([
      'customer_created',
      'customer_verified',
      'customer_verification_document_needed',
      'customer_created',
      'customer_verified',
      'customer_reverification_needed',
    ]);

    const unknown = await simulate('NoSuchCode');
    expect(unknown.status).toBe(400);
    expect(unknown.body._embedded.errors).toMatchObject([{ path: '/errorCode' }]);
    const person = await create('/customers', personal('Ann'));
    expect((await simulate('POBoxNotAllowed', person)).body._embedded.errors).toMatchObject([
      { path: '/_links/customer/href' },
    ]);
    const strange = await call('/sandbox-simulations', { body: { type: 'weather' } });
    expect(strange.status).toBe(400);
    expect(strange.body._embedded.errors).toMatchObject([{ path: '/type' }]);
  });

  it('refuses fields whose format Dwolla refuses: each listed, InvalidFormat or Invalid at its path', async () => {
    const refused = await call('/customers', {
      body: {
        ...personal('Jane'),
        firstName: 'Jane!',
        email: 'jane at example.com',
        state: 'Iowa',
        postalCode: '5030',
        ssn: '12345',
        dateOfBirth: '2010-02-30',
      },
    });
    expect(refused.status).toBe(400);
    valid(refused.body, '/customers', 'post', '400');
    expect(refused.body.code).toBe('ValidationError');
    expect((refused.body._embedded.errors as Json[]).map((e) => [e.path, e.code]).sort()).toEqual([
      ['/dateOfBirth', 'InvalidFormat'],
      ['/email', 'InvalidFormat'],
      ['/firstName', 'Invalid'],
      ['/postalCode', 'InvalidFormat'],
      ['/ssn', 'InvalidFormat'],
      ['/state', 'InvalidFormat'],
    ]);
    // Under 18 at the emulator's clock (2026-01-01 in these tests), and on update.
    const young = await call('/customers', {
      body: { ...personal('Jane'), dateOfBirth: '2008-01-02' },
    });
    expect(young.body._embedded.errors).toMatchObject([{ code: 'Invalid', path: '/dateOfBirth' }]);
    const adult = await create('/customers', { ...personal('Jane'), dateOfBirth: '2008-01-01' });
    const update = await call(adult, { body: { email: 'nope' }, contentType: 'application/json' });
    expect(update.status).toBe(400);
    expect(update.body._embedded.errors).toMatchObject([{ code: 'InvalidFormat', path: '/email' }]);
    expect(await kit.topics()).toEqual(['customer_created', 'customer_verified']);
  });

  it('refuses a second customer with the same email: 400 ValidationError, Duplicate on /email, about the first', async () => {
    const first = await create('/customers', personal('Ann'));
    const again = await call('/customers', {
      body: { ...personal('Bob'), email: 'ANN.ann@Example.com' },
    });
    expect(again.status).toBe(400);
    valid(again.body, '/customers', 'post', '400');
    expect(again.body).toEqual({
      code: 'ValidationError',
      message: expect.any(String),
      _embedded: {
        errors: [
          {
            code: 'Duplicate',
            message: 'A customer with the specified email already exists.',
            path: '/email',
            _links: {
              about: {
                href: first,
                type: 'application/vnd.dwolla.v1.hal+json',
                'resource-type': 'customer',
              },
            },
          },
        ],
      },
    });
    const second = await create('/customers', personal('Bob'));
    const taken = await update(second, { email: 'ann.ann@example.com' });
    expect(taken.status).toBe(400);
    expect(taken.body._embedded.errors[0]).toMatchObject({ code: 'Duplicate', path: '/email' });
    expect((await update(second, { email: 'bob.bob@example.com' })).status).toBe(200);
    expect(await kit.topics()).toEqual([
      'customer_created',
      'customer_verified',
      'customer_created',
      'customer_verified',
    ]);
  });
});
