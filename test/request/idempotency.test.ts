// Idempotency keys on the wire: one per logical call, the same bytes on every attempt.
import { describe, expect, it } from 'vitest';
import { ok, reset, eachScriptedDwolla, status, type ScriptedDwolla } from './scripted-dwolla.js';

describe('on the default transport', () => {
  let fake!: ScriptedDwolla;
  eachScriptedDwolla((f) => (fake = f));

  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const keys = () => fake.apiRequests().map((r) => r.headers['idempotency-key']);

  describe('Idempotency-Key', () => {
    it('a POST processed, then its socket destroyed: 2 attempts, the same UUID key and body', async () => {
      const created: string[] = [];
      fake.script((n, request, res) => {
        created.push(request.body); // the server did the work…
        if (n === 0) return reset(res); // …but the answer never arrived
        res.writeHead(201, { Location: `${fake.origin}/transfers/1` }).end();
      });
      const result = await fake.client().post('/transfers', { amount: { value: '5.00' } });
      expect(result.response.status).toBe(201);
      const [first, second] = fake.apiRequests();
      expect(fake.apiRequests()).toHaveLength(2);
      expect(first!.headers['idempotency-key']).toMatch(UUID_V4);
      expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
      expect(second!.body).toBe(first!.body);
      expect(created).toEqual(['{"amount":{"value":"5.00"}}', '{"amount":{"value":"5.00"}}']);
    });

    it('two POSTs carry two different keys', async () => {
      fake.script((_n, _r, res) => ok(res));
      const dwolla = fake.client();
      await dwolla.post('/transfers', { a: 1 });
      await dwolla.post('/transfers', { a: 1 });
      const [a, b] = keys();
      expect(a).toMatch(UUID_V4);
      expect(b).toMatch(UUID_V4);
      expect(a).not.toBe(b);
    });

    it("keeps the caller's key (header or idempotencyKey option) on every attempt", async () => {
      fake.script((n, _r, res) => (n % 3 < 2 ? status(res, 503) : ok(res)));
      const dwolla = fake.client();
      await dwolla.post('/transfers', {}, { headers: { 'Idempotency-Key': 'caller-key-1' } });
      await dwolla.post('/transfers', {}, { idempotencyKey: 'caller-key-2' });
      expect(keys()).toEqual([...Array(3).fill('caller-key-1'), ...Array(3).fill('caller-key-2')]);
    });

    it('the 401 replay carries the same key and body', async () => {
      fake.script((_n, _r, res) => ok(res));
      const dwolla = fake.client();
      await dwolla.getAccessToken();
      fake.revoke('tok-1');
      await dwolla.post('/transfers', { b: 2 });
      const [first, replay] = fake.apiRequests();
      expect(first!.headers.authorization).toBe('Bearer tok-1');
      expect(replay!.headers.authorization).toBe('Bearer tok-2');
      expect(replay!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
      expect(replay!.body).toBe(first!.body);
    });

    it('GET and DELETE carry no key; the token request carries none', async () => {
      fake.script((_n, _r, res) => ok(res));
      const dwolla = fake.client();
      await dwolla.get('/x');
      await dwolla.delete('/x');
      expect(keys()).toEqual([undefined, undefined]);
      expect(fake.tokenRequests()[0]!.headers['idempotency-key']).toBeUndefined();
    });

    it.each([
      ['the idempotencyKey option empty', { idempotencyKey: '' }],
      ['the idempotencyKey option blank', { idempotencyKey: ' \t ' }],
      ['the header empty', { headers: { 'Idempotency-Key': '' } }],
      ['the header blank', { headers: { 'idempotency-key': '   ' } }],
    ])('a POST with %s is a TypeError before anything is sent', async (_name, options) => {
      fake.script((_n, _r, res) => ok(res));
      const error = await fake
        .client()
        .post('/transfers', { amount: 1 }, options)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/Idempotency-Key must not be blank/);
      expect(fake.server.requests).toHaveLength(0);
    });

    it('a blank key through dwolla.fetch or the generated client is the same TypeError', async () => {
      fake.script((_n, _r, res) => ok(res));
      const dwolla = fake.client();
      const viaFetch = await dwolla
        .fetch(`${fake.origin}/transfers`, {
          method: 'POST',
          headers: { 'Idempotency-Key': ' ' },
          body: '{}',
        })
        .catch((e: unknown) => e);
      const viaClient = await dwolla.client
        .post({ url: '/transfers', body: {}, headers: { 'Idempotency-Key': '' } })
        .catch((e: unknown) => e);
      for (const error of [viaFetch, viaClient]) {
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/Idempotency-Key must not be blank/);
      }
      expect(fake.server.requests).toHaveLength(0);
    });

    it('a FormData body is sent as the same multipart bytes on a retry', async () => {
      fake.script((n, _r, res) => (n === 0 ? status(res, 503) : ok(res)));
      const form = new FormData();
      form.set('documentType', 'passport');
      form.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'id.pdf');
      await fake.client().post('/customers/1/documents', form);
      const [first, second] = fake.apiRequests();
      expect(first!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(second!.headers['content-type']).toBe(first!.headers['content-type']);
      expect(second!.body).toBe(first!.body);
    });
  });
});
