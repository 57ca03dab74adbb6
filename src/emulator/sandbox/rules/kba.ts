import { halLink } from '../../answer/resource-links.js';
import { isRecord } from '../../spec/spec-pointer.js';
import { InvalidResourceStateError, NotFoundError } from '../errors.js';
import type { FamilyRules, SandboxContext } from '../family.js';
import { selfHref, splitKey, type StoredResource } from '../store.js';

/** How long after its questions are read a KBA session takes answers (Dwolla: 2 minutes). */
export const KBA_WINDOW_MS = 2 * 60 * 1000;
/** Answers that must be the Sandbox's passing ones (Dwolla passes at 75%: 3 of 4). */
const TO_PASS = 3;

type Answer = { id: string; text: string };
type Question = { id: string; text: string; answers: Answer[] };

/** The Sandbox passes a question answered "None of the above" or, for a vehicle, "I have never
 * been associated with this vehicle" (developers.dwolla.com "Testing"). */
const NONE = 'None of the above';
const NO_VEHICLE = 'I have never been associated with this vehicle';

const question = (id: string, text: string, answers: string[]): Question => ({
  id,
  text,
  answers: answers.map((answer, i) => ({ id: `${id}${i + 1}`, text: answer })),
});

/** The four questions of every Sandbox KBA session (the emulator's own wording). */
const QUESTIONS: readonly Question[] = [
  question('41001', 'Which of these counties have you lived in?', ['Polk', 'Story', 'Linn', NONE]),
  question('41002', 'Which of these streets have you lived on?', [
    'Grand Avenue',
    'Ingersoll Avenue',
    'Locust Street',
    NONE,
  ]),
  question('41003', 'Which of these lenders has given you a loan?', [
    'Hawkeye Credit Union',
    'Prairie Savings',
    'Cedar Valley Bank',
    NONE,
  ]),
  question('41004', 'In which of these ways have you been associated with a 2014 Ford Focus?', [
    'Owner',
    'Co-owner',
    'Registered driver',
    NO_VEHICLE,
  ]),
];

const PASSING = new Set(
  QUESTIONS.flatMap((q) =>
    q.answers.filter((a) => a.text === NONE || a.text === NO_VEHICLE).map((a) => `${q.id}:${a.id}`),
  ),
);

/** What the KBA rules remember of a session (StoredResource.memo). */
type SessionMemo = { readAt?: number; answered?: boolean };

const memoOf = (session: StoredResource): SessionMemo => (session.memo ?? {}) as SessionMemo;

/** 403 unless the session still takes answers: not yet answered, within its window (from the
 * first read of its questions, or from its creation if they were never read). */
function refuseDead(session: StoredResource, sandbox: SandboxContext): void {
  const memo = memoOf(session);
  if (memo.answered) throw new InvalidResourceStateError('The kba session is no longer valid.');
  const since = memo.readAt ?? session.createdAt;
  if (sandbox.now() - since > KBA_WINDOW_MS) {
    throw new InvalidResourceStateError('The kba session has expired.');
  }
}

/** How many of the session's questions were given their passing answer. */
function passingAnswers(given: unknown): number {
  const answers = Array.isArray(given) ? given : [];
  const passed = new Set<string>();
  for (const answer of answers) {
    if (!isRecord(answer)) continue;
    const key = `${String(answer.questionId)}:${String(answer.answerId)}`;
    if (PASSING.has(key)) passed.add(String(answer.questionId));
  }
  return passed.size;
}

/**
 * Knowledge-based authentication of a personal customer in `kba` status: `POST
 * /customers/{id}/kba` opens a session (403 InvalidResourceState for any other customer), `GET
 * /kba/{id}` reads its four questions, `POST /kba/{id}` answers them once, within two minutes of
 * the read: passing (3 of 4 the Sandbox's passing answers) verifies the customer
 * (`customer_kba_verification_passed`, `customer_verified`), failing asks for a document
 * (`customer_kba_verification_failed`, `customer_verification_document_needed`). A dead session
 * answers 403 InvalidResourceState.
 */
export const kba: FamilyRules = {
  types: ['kba'],
  creating(draft) {
    const customer = draft.parent;
    if (customer?.body.type !== 'personal' || customer.body.status !== 'kba') {
      throw new InvalidResourceStateError('The Customer is not in a status that allows KBA.');
    }
    draft.given = { questions: structuredClone(QUESTIONS) };
    draft.memo = {} satisfies SessionMemo;
  },
  // Dwolla names no event for a new session.
  createdTopics: () => [],
  shown(session, sandbox) {
    const links = isRecord(session.body._links) ? session.body._links : {};
    return { _links: { ...links, answer: halLink(selfHref(session, sandbox.origin()), 'kba') } };
  },
  reading(session, sandbox) {
    refuseDead(session, sandbox);
    const memo = memoOf(session);
    if (memo.readAt !== undefined) return session;
    return sandbox.change({ ...session, memo: { ...memo, readAt: sandbox.now() } }, {});
  },
  updating(session, given, sandbox) {
    refuseDead(session, sandbox);
    const customer = sandbox.store.get(...splitKey(session.parent));
    if (!customer) throw new NotFoundError();
    sandbox.change({ ...session, memo: { ...memoOf(session), answered: true } }, {});
    const passed = passingAnswers(given.answers) >= TO_PASS;
    sandbox.event(`customer_kba_verification_${passed ? 'passed' : 'failed'}`, customer);
    if (customer.body.status === 'kba') {
      sandbox.change(customer, { status: passed ? 'verified' : 'document' });
    }
    return {
      _links: { customer: halLink(selfHref(customer, sandbox.origin()), 'customers') },
      verificationStatus: passed ? 'verified' : 'failed',
    };
  },
};
