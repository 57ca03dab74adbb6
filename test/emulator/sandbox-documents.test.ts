// Issue 20, item 3: documents in the Sandbox on Dwolla's full spec over plain fetch: Dwolla's
// two sample files (by name) approve or fail a document, with their events; the document's
// statuses; the same file twice; and the limits, which agree with the client's own checks.
import { describe, expect, it } from 'vitest';
import {
  DWOLLA_DOCUMENT_CONTENT_TYPES,
  DWOLLA_DOCUMENT_MAX_BYTES,
} from '../../src/documents/document-file.js';
import { HAS_UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { beneficialOwner, business, personal, sandboxKit, type Json } from './sandbox-kit.js';

const SUCCESS = 'test-document-upload-success.png';
const FAIL = 'test-document-upload-fail.png';
/** Bytes standing for a file (the Sandbox judges its samples by name; duplicates by bytes). */
const file = (text: string, type = 'image/png') => new Blob([text], { type });

describe.skipIf(!HAS_UPSTREAM_SPEC)("documents in the Sandbox, on Dwolla's full spec", () => {
  const kit = sandboxKit();
  const { call, create, upload, valid } = kit;
  const document = async (href: string) => {
    const { status, body } = await call(href);
    expect(status).toBe(200);
    valid(body, '/documents/{id}');
    return body;
  };

  it("Dwolla's success sample approves the document and verifies the customer: uploaded, approved, verified", async () => {
    const customer = await create('/customers', personal('document'));
    const uploaded = await upload(`${customer}/documents`, file('success sample'), SUCCESS);
    expect(uploaded.status).toBe(201);
    const href = uploaded.response.headers.get('location')!;
    expect(href).toMatch(new RegExp(`^${kit.emu.url}/documents/[0-9a-f-]{36}$`));
    expect(await document(href)).toMatchObject({
      id: href.split('/').pop(),
      type: 'passport',
      status: 'reviewed',
      documentVerificationStatus: 'accepted',
    });
    const after = await call(customer);
    valid(after.body, '/customers/{id}');
    expect(after.body.status).toBe('verified');
    expect(after.body._links).not.toHaveProperty('verify-with-document');
    const topics = [
      'customer_created',
      'customer_verification_document_needed',
      'customer_verification_document_uploaded',
      'customer_verification_document_approved',
      'customer_verified',
    ];
    expect(await kit.topics()).toEqual(topics);
    expect(await kit.webhookTopics()).toEqual(topics);
    const events = (await call('/events?limit=200')).body._embedded.events as Json[];
    const approved = events.find((e) => e.topic === 'customer_verification_document_approved')!;
    expect(approved).toMatchObject({ resourceId: href.split('/').pop() });
    expect(approved._links.customer.href).toBe(customer);
  });

  it('the fail sample rejects it (the customer still needs one); the same file again is 400 DuplicateResource about it', async () => {
    const customer = await create('/customers', personal('document'));
    const failed = await upload(`${customer}/documents`, file('fail sample'), FAIL, 'license');
    const href = failed.response.headers.get('location')!;
    expect(await document(href)).toMatchObject({
      type: 'license',
      status: 'reviewed',
      documentVerificationStatus: 'rejected',
      failureReason: 'ScanNotReadable',
      allFailureReasons: [{ reason: 'ScanNotReadable', description: expect.any(String) }],
    });
    expect((await call(customer)).body.status).toBe('document');

    const again = await upload(`${customer}/documents`, file('fail sample'), FAIL, 'license');
    expect(again.status).toBe(400);
    // (Dwolla's 400 here is a oneOf of three schemas every error body matches: none validates.)
    expect(again.body).toEqual({
      code: 'DuplicateResource',
      message: 'Document already exists.',
      _links: {
        about: {
          href,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'document',
        },
      },
    });
    // Bytes, not names, make a duplicate: another file under the same name is a new document.
    const renamed = await upload(`${customer}/documents`, file('another scan'), FAIL);
    expect(renamed.status).toBe(201);
    await upload(`${customer}/documents`, file('success sample'), SUCCESS);
    expect((await call(customer)).body.status).toBe('verified');

    const listed = await call(`${customer}/documents`);
    valid(listed.body, '/customers/{id}/documents');
    expect(listed.body.total).toBe(3);
    expect(await kit.topics()).toEqual([
      'customer_created',
      'customer_verification_document_needed',
      'customer_verification_document_uploaded',
      'customer_verification_document_failed',
      'customer_verification_document_uploaded',
      'customer_verification_document_failed',
      'customer_verification_document_uploaded',
      'customer_verification_document_approved',
      'customer_verified',
    ]);
  });

  it('any other file waits for review (pending); the fifth pending one is refused', async () => {
    const customer = await create('/customers', personal('document'));
    for (let i = 1; i <= 4; i++) {
      const { status, response } = await upload(
        `${customer}/documents`,
        file(`scan ${i}`),
        `id${i}.jpg`,
      );
      expect(status).toBe(201);
      expect(await document(response.headers.get('location')!)).toMatchObject({
        status: 'pending',
        documentVerificationStatus: 'pending',
      });
    }
    const fifth = await upload(`${customer}/documents`, file('scan 5'), 'id5.jpg');
    expect(fifth.status).toBe(400);
    expect(fifth.body).toEqual({ code: 'MaximumNumberOfResources', message: expect.any(String) });
    expect((await call(customer)).body.status).toBe('document');
    // With four waiting, even a sample is refused.
    expect((await upload(`${customer}/documents`, file('ok'), SUCCESS)).status).toBe(400);
  });

  it("the file's type and size limits are the client's own: its types in, others out, its size and not a byte more", async () => {
    const person = await create('/customers', personal('document'));
    const owner = await create('/customers', business('Acme', 'document'));
    for (const [type, extensions] of Object.entries(DWOLLA_DOCUMENT_CONTENT_TYPES)) {
      for (const extension of extensions) {
        // A business takes PDFs (its documents); a person's ID is an image.
        const target = type === 'application/pdf' ? owner : person;
        const uploaded = await upload(
          `${target}/documents`,
          file(`${type}${extension}`, ''),
          `scan${extension}`,
          'other',
        );
        expect(uploaded.status, `${extension}`).toBe(201);
      }
    }
    const fresh = await create('/customers', personal('document', 2));
    const gif = await upload(`${fresh}/documents`, file('gif', 'image/gif'), 'scan.gif');
    expect(gif.status).toBe(400);
    expect(gif.body.code).toBe('InvalidFileType');
    const pdf = await upload(`${fresh}/documents`, file('%PDF-1.4', 'application/pdf'), 'id.pdf');
    expect(pdf.body.code).toBe('InvalidFileType');

    const atLimit = new Uint8Array(DWOLLA_DOCUMENT_MAX_BYTES);
    const largest = await upload(
      `${fresh}/documents`,
      new Blob([atLimit], { type: 'image/jpeg' }),
      'big.jpg',
    );
    expect(largest.status).toBe(201);
    const over = new Uint8Array(DWOLLA_DOCUMENT_MAX_BYTES + 1);
    over[0] = 1; // not the same bytes as the first
    const tooLarge = await upload(
      `${fresh}/documents`,
      new Blob([over], { type: 'image/jpeg' }),
      'bigger.jpg',
    );
    expect(tooLarge.status).toBe(413);
    valid(tooLarge.body, '/customers/{id}/documents', 'post', '413');
    expect(tooLarge.body).toEqual({ code: 'FileTooLarge', message: expect.any(String) });
  });

  it('only a customer asked for a document takes one: 403 InvalidResourceState otherwise', async () => {
    const verified = await create('/customers', personal('Jane'));
    const unverified = await create('/customers', {
      firstName: 'document',
      lastName: 'Doe',
      email: 'doc.unverified@example.com',
      type: 'unverified',
    });
    for (const customer of [verified, unverified]) {
      const refused = await upload(`${customer}/documents`, file('x'), SUCCESS);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ code: 'InvalidResourceState', message: expect.any(String) });
    }
    expect(
      (
        await upload(
          '/customers/4d3c2b1a-0000-4000-8000-000000000000/documents',
          file('x'),
          SUCCESS,
        )
      ).status,
    ).toBe(404);
  });

  it("a beneficial owner's document: the success sample verifies the owner, with the owner's topics", async () => {
    const customer = await create('/customers', business('Acme', 'Jane'));
    const owner = await create(`${customer}/beneficial-owners`, beneficialOwner('document'));
    const uploaded = await upload(`${owner}/documents`, file('owner sample'), SUCCESS, 'idCard');
    expect(uploaded.status).toBe(201);
    const listed = await call(`${owner}/documents`);
    valid(listed.body, '/beneficial-owners/{id}/documents');
    expect(listed.body._embedded.documents).toMatchObject([
      { type: 'idCard', documentVerificationStatus: 'accepted' },
    ]);
    expect((await call(owner)).body.verificationStatus).toBe('verified');
    expect((await kit.topics()).slice(2)).toEqual([
      'customer_beneficial_owner_created',
      'customer_beneficial_owner_verification_document_needed',
      'customer_beneficial_owner_verification_document_uploaded',
      'customer_beneficial_owner_verification_document_approved',
      'customer_beneficial_owner_verified',
    ]);
  });
});
