import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { api, emulator, getToken, HAL, tokenRequest } from './helpers.js';

describe('stats() and requests()', () => {
  it('counts token requests and calls per operationId, whatever their outcome', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    expect(emu.stats()).toEqual({ tokenRequests: 0, calls: {}, totalCalls: 0, unmatched: 0 });
    const token = await getToken(emu.url);
    await tokenRequest(emu.url, { authorization: undefined }); // 401, still a token request
    await api(emu.url, token, '/customers');
    await api(emu.url, token, '/customers?limit=nope'); // 400
    await api(emu.url, undefined, '/customers/x'); // 401
    emu.fault({ status: 500 });
    await api(emu.url, token, '/customers/y'); // faulted
    await api(emu.url, token, '/nowhere'); // 404
    expect(emu.stats()).toEqual({
      tokenRequests: 2,
      calls: { createApplicationAccessToken: 2, listCustomers: 2, getCustomer: 2 },
      totalCalls: 6,
      unmatched: 1,
    });
    emu.resetStats();
    expect(emu.stats()).toEqual({ tokenRequests: 0, calls: {}, totalCalls: 0, unmatched: 0 });
    expect(emu.requests()).toEqual([]);
  });

  it('counts operations named like Object.prototype members (constructor, __proto__, toString)', async () => {
    const spec = fixtureSpec();
    const renamed: Record<string, string> = {
      listCustomers: 'constructor',
      getCustomer: '__proto__',
      createCustomer: 'toString',
    };
    for (const item of Object.values(spec.paths) as Record<string, { operationId?: string }>[]) {
      for (const operation of Object.values(item)) {
        const name = renamed[operation.operationId ?? ''];
        if (name) operation.operationId = name;
      }
    }
    const emu = await emulator({ spec });
    expect(emu.operations.map((op) => op.operationId)).toEqual(
      expect.arrayContaining(['constructor', '__proto__', 'toString']),
    );
    const token = await getToken(emu.url);
    emu.resetStats();
    const body = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' };
    for (let i = 0; i < 2; i++) await api(emu.url, token, '/customers');
    await api(emu.url, token, '/customers', { body });
    await api(emu.url, token, '/customers/x');
    const stats = emu.stats();
    expect(Object.entries(stats.calls).sort()).toEqual([
      ['__proto__', 1],
      ['constructor', 2],
      ['toString', 1],
    ]);
    expect(stats.totalCalls).toBe(4);
    expect(JSON.parse(JSON.stringify(stats.calls))).toEqual({
      constructor: 2,
      ['__proto__']: 1,
      toString: 1,
    });
  });

  it('logs each request with what the emulator answered', async () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    const emu = await emulator({ spec: fixtureSpec(), now: () => now });
    const token = await getToken(emu.url);
    emu.resetStats();
    const body = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' };
    const created = await api(emu.url, token, '/customers?x=1', { body });
    const [entry, ...rest] = emu.requests();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      time: '2026-12-02T10:00:00.000Z',
      method: 'POST',
      path: '/customers',
      query: 'x=1',
      operationId: 'createCustomer',
      body: JSON.stringify(body),
      headers: { accept: HAL, 'content-type': HAL, authorization: 'Bearer [redacted]' },
      response: { status: 400 },
    });
    expect(JSON.stringify(emu.requests())).not.toContain(token); // the log never holds credentials
    expect(created.status).toBe(400); // x is not a declared query parameter
    await api(emu.url, token, '/customers', { body });
    const last = emu.requests().at(-1)!;
    expect(last.response).toEqual({
      status: 201,
      headers: { location: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/customers\//) },
      body: '',
    });
  });

  it('lists the operations it routes and builds a valid request for each', async () => {
    const emu = await emulator({ spec: fixtureSpec() });
    expect(emu.operations.map((o) => o.operationId)).toEqual([
      'createApplicationAccessToken',
      'listCustomers',
      'createCustomer',
      'getCustomer',
      'createCustomerDocument',
      'getDocument',
      'initiateTransfer',
    ]);
    const token = await getToken(emu.url);
    const sample = emu.sampleRequest('initiateTransfer');
    expect(sample).toMatchObject({
      method: 'POST',
      path: '/transfers',
      contentType: 'application/json',
    });
    expect(sample.headers['idempotency-key']).toHaveLength(8);
    const response = await api(emu.url, token, sample.path, {
      method: sample.method,
      body: sample.body,
      contentType: sample.contentType,
      headers: sample.headers,
    });
    expect(response.status).toBe(200);
    expect(() => emu.sampleRequest('nope')).toThrow(RangeError);
  });
});
