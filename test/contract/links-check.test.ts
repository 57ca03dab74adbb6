import { describe, expect, it } from 'vitest';
import { checkExchange } from '../../contract/check-exchange.js';
import { createOracle } from '../../contract/oracle.js';
import type { RecordedRequest } from '../../src/emulator/index.js';
import { listOperations } from '../../src/emulator/spec/operations.js';
import { createSchemaChecker } from '../../src/emulator/check/schemas.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';

const ORIGIN = 'http://127.0.0.1:4010';

/** A recorded GET /customers/c1 answered with the given links. */
function exchange(links: Record<string, { href: string }>): RecordedRequest {
  return {
    time: '2026-12-02T10:00:00.000Z',
    method: 'GET',
    path: '/customers/c1',
    query: '',
    operationId: 'getCustomer',
    headers: { authorization: 'Bearer t', accept: 'application/vnd.dwolla.v1.hal+json' },
    body: '',
    response: {
      status: 200,
      headers: { 'content-type': 'application/vnd.dwolla.v1.hal+json' },
      body: JSON.stringify({ _links: links, id: 'c1', firstName: 'Jane' }),
    },
  };
}

describe('the contract check of response links', () => {
  const doc = fixtureSpec() as never;
  const operation = listOperations(doc).find((op) => op.operationId === 'getCustomer')!;
  const check = (links: Record<string, { href: string }>) =>
    checkExchange(
      createSchemaChecker(doc),
      createOracle(doc),
      operation,
      exchange(links),
      ORIGIN,
      false,
    );

  it("reports a link to Dwolla's API, which leaves the server under test", async () => {
    expect(
      await check({
        self: { href: 'https://api-sandbox.dwolla.com/customers/c1' },
        root: { href: 'https://api.dwolla.com' },
      }),
    ).toEqual([
      `response link https://api-sandbox.dwolla.com/customers/c1 is not on ${ORIGIN}`,
      `response link https://api.dwolla.com is not on ${ORIGIN}`,
    ]);
  });

  it("accepts links on the server and to other hosts (a partner's site)", async () => {
    expect(
      await check({
        self: { href: `${ORIGIN}/customers/c1` },
        partner: { href: 'https://www.mx.com/connect/x' },
      }),
    ).toEqual([]);
  });
});
