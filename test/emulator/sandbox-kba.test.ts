// Issue 20, item 2: KBA in the Sandbox on Dwolla's full spec over plain fetch: sessions only for
// a customer in `kba`, four questions, the passing and failing answers, one attempt within two
// minutes of reading the questions, and the events; bodies judged by the contract oracle.
import { describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { personal, sandboxKit, type Json } from './sandbox-kit.js';

const PASSING = /^(None of the above|I have never been associated with this vehicle)$/;

describe.skipIf(!HAS_UPSTREAM_SPEC)("KBA in the Sandbox, on Dwolla's full spec", () => {
  const kit = sandboxKit();
  const { call, create, valid } = kit;

  /** A customer in `kba`, a session for it, and its questions (read once). */
  async function session(n: number | string = 1) {
    const customer = await create('/customers', personal('kba', n));
    const kba = await create(`${customer}/kba`, undefined);
    expect(kba).toMatch(new RegExp(`^${kit.emu.url}/kba/[0-9a-f-]{36}$`));
    const read = await call(kba);
    expect(read.status).toBe(200);
    valid(read.body, '/kba/{id}');
    return { customer, kba, questions: read.body.questions as Json[], body: read.body };
  }
  /** Answers per question: the passing one for the first `passing` questions, another after. */
  const answers = (questions: Json[], passing: number) =>
    questions.map((q, i) => ({
      questionId: q.id,
      answerId: (q.answers as Json[]).find((a) => PASSING.test(a.text) === i < passing)!.id,
    }));
  const answer = (kba: string, body: unknown) =>
    call(kba, { body, contentType: 'application/json' });

  it('four questions, each with a passing answer; all passing verifies the customer, with its events', async () => {
    const { customer, kba, questions, body } = await session();
    expect(body._links.answer.href).toBe(kba);
    expect(questions).toHaveLength(4);
    for (const q of questions) {
      expect((q.answers as Json[]).filter((a) => PASSING.test(a.text))).toHaveLength(1);
    }
    const passed = await answer(kba, { answers: answers(questions, 4) });
    expect(passed.status).toBe(200);
    valid(passed.body, '/kba/{id}', 'post');
    expect(passed.body).toEqual({
      _links: { customer: expect.objectContaining({ href: customer }) },
      verificationStatus: 'verified',
    });
    const after = await call(customer);
    expect(after.body.status).toBe('verified');
    expect(after.body._links).toHaveProperty('send');
    const topics = [
      'customer_created',
      'customer_kba_verification_needed',
      'customer_kba_verification_passed',
      'customer_verified',
    ];
    expect(await kit.topics()).toEqual(topics);
    expect(await kit.webhookTopics()).toEqual(topics);
  });

  it('three of four passing still passes (75%); two fail, asking for a document', async () => {
    const three = await session(3);
    expect((await answer(three.kba, { answers: answers(three.questions, 3) })).body).toMatchObject({
      verificationStatus: 'verified',
    });
    const two = await session(2);
    const failed = await answer(two.kba, { answers: answers(two.questions, 2) });
    expect(failed.status).toBe(200);
    valid(failed.body, '/kba/{id}', 'post');
    expect(failed.body.verificationStatus).toBe('failed');
    const customer = await call(two.customer);
    expect(customer.body.status).toBe('document');
    expect(customer.body._links).toHaveProperty('verify-with-document');
    expect(await kit.topics(two.customer.split('/').pop())).toEqual([
      'customer_created',
      'customer_kba_verification_needed',
      'customer_kba_verification_failed',
      'customer_verification_document_needed',
    ]);
  });

  it('one attempt: the session is dead once answered, for reading and answering (403)', async () => {
    const { kba, questions } = await session();
    await answer(kba, { answers: answers(questions, 0) });
    for (const again of [await answer(kba, { answers: answers(questions, 4) }), await call(kba)]) {
      expect(again.status).toBe(403);
      expect(again.body).toEqual({
        code: 'InvalidResourceState',
        message: 'The kba session is no longer valid.',
      });
    }
  });

  it('answers more than two minutes after the questions were read are refused: the session expired', async () => {
    const { customer, kba, questions } = await session();
    kit.clock += 2 * 60 * 1000; // exactly two minutes: still in time for a second read
    expect((await call(kba)).status).toBe(200);
    kit.clock += 1;
    const late = await answer(kba, { answers: answers(questions, 4) });
    expect(late.status).toBe(403);
    // (Dwolla's 403 here is a oneOf of schemas every error body matches: none validates.)
    expect(late.body).toEqual({
      code: 'InvalidResourceState',
      message: 'The kba session has expired.',
    });
    expect((await call(customer)).body.status).toBe('kba');
    // A new session starts a new window.
    const fresh = await create(`${customer}/kba`, undefined);
    const read = await call(fresh);
    const passed = await answer(fresh, { answers: answers(read.body.questions, 4) });
    expect(passed.body.verificationStatus).toBe('verified');
  });

  it('a session only for a customer in kba status: 403 InvalidResourceState, 404 for an unknown one', async () => {
    const verified = await create('/customers', personal('Jane'));
    const refused = await call(`${verified}/kba`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('InvalidResourceState');
    const unverified = await create('/customers', {
      firstName: 'kba',
      lastName: 'Doe',
      email: 'kba.unverified@example.com',
      type: 'unverified',
    });
    expect((await call(`${unverified}/kba`, { method: 'POST' })).status).toBe(403);
    const unknown = await call('/kba/4d3c2b1a-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await kit.topics()).toEqual([
      'customer_created',
      'customer_verified',
      'customer_created',
    ]);
  });
});
