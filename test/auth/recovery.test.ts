// Behaviour 6: 401 recovery — invalidate-if-current, one refresh, exactly one replay.
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DwollaApiError } from '../../src/index.js';
import { sendJson } from '../helpers/recording-server.js';
import { KEY, SECRET, echo, noSleep, startFakeDwolla, type FakeDwolla } from './fake-dwolla.js';
import { testClient } from '../helpers/test-client.js';

let fake: FakeDwolla;
beforeEach(async () => {
  fake = await startFakeDwolla();
});
afterEach(() => fake.close());

const client = () => testClient({ key: KEY, secret: SECRET, baseUrl: fake.origin, sleep: noSleep });

describe('401 recovery (behaviour 6)', () => {
  it('revoke mid-run: 100 concurrent 401s cause 1 refresh and no failed call', async () => {
    const dwolla = client();
    for (let i = 0; i < 20; i++) await dwolla.get(`/before/${i}`);
    fake.revoke('tok-1');

    const settled = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => dwolla.get(`/during/${i}`)),
    );
    for (let i = 0; i < 30; i++) await dwolla.get(`/after/${i}`);

    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed).toHaveLength(0);
    expect(fake.tokenRequests()).toHaveLength(2);
    const during = fake.apiRequests().filter((r) => r.path.startsWith('/during/'));
    expect(during.filter((r) => r.headers.authorization === 'Bearer tok-1')).toHaveLength(100);
    expect(during.filter((r) => r.headers.authorization === 'Bearer tok-2')).toHaveLength(100);
    const after = fake.apiRequests().filter((r) => r.path.startsWith('/after/'));
    expect(after.every((r) => r.headers.authorization === 'Bearer tok-2')).toBe(true);
  });

  it('replays once with the same method, headers and JSON body', async () => {
    const dwolla = client();
    await dwolla.getAccessToken();
    fake.revoke('tok-1');
    const result = await dwolla.post(
      '/transfers',
      { amount: { value: '1.00', currency: 'USD' } },
      { headers: { 'Idempotency-Key': 'idem-1' } },
    );
    expect(result.response.status).toBe(200);
    const [first, replay] = fake.apiRequests();
    expect(fake.apiRequests()).toHaveLength(2);
    expect(first!.headers.authorization).toBe('Bearer tok-1');
    expect(replay!.headers.authorization).toBe('Bearer tok-2');
    const { authorization: _a, ...firstHeaders } = first!.headers;
    const { authorization: _b, ...replayHeaders } = replay!.headers;
    expect(replayHeaders).toEqual(firstHeaders);
    expect(replay!.method).toBe('POST');
    expect(replay!.body).toBe('{"amount":{"value":"1.00","currency":"USD"}}');
    expect(replay!.body).toBe(first!.body);
    expect(replay!.headers['idempotency-key']).toBe('idem-1');
    expect(replay!.headers['content-type']).toBe('application/json');
  });

  it('replays a streamed body (buffered before the first send)', async () => {
    const dwolla = client();
    await dwolla.getAccessToken();
    fake.revoke('tok-1');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('part one, '));
        controller.enqueue(new TextEncoder().encode('part two'));
        controller.close();
      },
    });
    await dwolla.post('/documents', stream, { headers: { 'Content-Type': 'text/plain' } });
    const bodies = fake.apiRequests().map((r) => r.body);
    expect(bodies).toEqual(['part one, part two', 'part one, part two']);
  });

  it('replays requests of the generated client too', async () => {
    const dwolla = client();
    await dwolla.getAccessToken();
    fake.revoke('tok-1');
    const result = await dwolla.client.post({ url: '/customers', body: { firstName: 'Ada' } });
    expect(result.response.status).toBe(200);
    expect(fake.apiRequests().map((r) => [r.method, r.body, r.headers.authorization])).toEqual([
      ['POST', '{"firstName":"Ada"}', 'Bearer tok-1'],
      ['POST', '{"firstName":"Ada"}', 'Bearer tok-2'],
    ]);
  });

  it('a second 401 rejects with the API error; never more than one replay', async () => {
    fake.api = (_r, res) =>
      sendJson(res, 401, { code: 'InvalidAccessToken', message: 'Invalid access token.' });
    const dwolla = client();
    const error = await dwolla.delete('/customers/1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).toMatchObject({ status: 401, code: 'InvalidAccessToken' });
    expect(fake.apiRequests()).toHaveLength(2);
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('a late 401 for an old token does not drop the newer one', async () => {
    let held: ServerResponse | undefined;
    fake.api = (request, res) => {
      if (request.path === '/slow' && request.headers.authorization === 'Bearer tok-1') {
        held = res;
        return;
      }
      return echo(request, res);
    };
    const dwolla = client();
    await dwolla.getAccessToken();
    const slow = dwolla.get('/slow');
    await vi.waitFor(() => expect(held).toBeDefined());

    fake.revoke('tok-1');
    await dwolla.get('/fast'); // 401 → refresh → tok-2
    expect(fake.tokenRequests()).toHaveLength(2);

    sendJson(held!, 401, { code: 'InvalidAccessToken', message: 'Invalid access token.' });
    await expect(slow).resolves.toMatchObject({ data: { path: '/slow' } });
    expect(fake.tokenRequests()).toHaveLength(2); // tok-2 was reused, not invalidated
    expect(fake.apiRequests().at(-1)!.headers.authorization).toBe('Bearer tok-2');
  });

  it('does not replay a 401 from the token URL (generated operation with bad credentials)', async () => {
    const dwolla = testClient({ key: KEY, secret: 'wrong-secret', baseUrl: fake.origin });
    const { createApplicationAccessToken } = await import('../../src/index.js');
    const error = await createApplicationAccessToken({
      client: dwolla.client,
      body: { grant_type: 'client_credentials' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaApiError);
    expect(error).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(fake.server.requests).toHaveLength(1);
  });
});
