// The 401 rule: refresh only for token errors, and not again for a token that just replaced one.
import { describe, expect, it } from 'vitest';
import { DwollaApiError } from '../../src/index.js';
import { fakeClock } from '../auth/fake-dwolla.js';
import { sendJson } from '../helpers/recording-server.js';
import { ok, eachScriptedDwolla, type ScriptedDwolla } from './scripted-dwolla.js';

describe('on the default transport', () => {
  let fake!: ScriptedDwolla;
  eachScriptedDwolla((f) => (fake = f));

  describe('401 from the API', () => {
    it('50 sequential calls against an API that always answers 401 make 2 token requests', async () => {
      fake.script((_n, _r, res) =>
        sendJson(res, 401, { code: 'InvalidAccessToken', message: 'Invalid access token.' }),
      );
      const dwolla = fake.client();
      for (let i = 0; i < 50; i++) {
        const error = await dwolla.get('/customers').catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'DwollaApiError', status: 401 });
      }
      expect(fake.tokenRequests()).toHaveLength(2);
      expect(fake.apiRequests()).toHaveLength(51); // one replay, on the first call only
    });

    it('refreshes again once the replacement token is a minute old', async () => {
      const clock = fakeClock();
      fake.script((_n, _r, res) => sendJson(res, 401, {}));
      const dwolla = fake.client({ clock: clock.now });
      await dwolla.get('/x').catch(() => {});
      await dwolla.get('/x').catch(() => {});
      expect(fake.tokenRequests()).toHaveLength(2);
      clock.advance(61_000);
      await dwolla.get('/x').catch(() => {});
      expect(fake.tokenRequests()).toHaveLength(3);
    });

    it('a 401 whose body is not JSON counts as a token error: one refresh and replay', async () => {
      fake.script((n, _r, res) => {
        if (n === 0) return ok(res);
        if (n === 1) return res.writeHead(401, { 'Content-Type': 'text/html' }).end('<h1>401</h1>');
        return ok(res);
      });
      const dwolla = fake.client();
      await dwolla.get('/warm');
      await expect(dwolla.get('/x')).resolves.toMatchObject({ data: { ok: true } });
      expect(fake.tokenRequests()).toHaveLength(2);
    });

    it.each(['InvalidScopes', 'InvalidAccountStatus', 'Unauthorized'])(
      'a 401 %s is surfaced without a token request or a replay',
      async (code) => {
        fake.script((n, _r, res) =>
          n === 0 ? ok(res) : sendJson(res, 401, { code, message: 'Not allowed.' }),
        );
        const dwolla = fake.client();
        await dwolla.get('/warm');
        const error = await dwolla.post('/transfers', {}).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DwollaApiError);
        expect(error).toMatchObject({ status: 401, code });
        expect(fake.tokenRequests()).toHaveLength(1);
        expect(fake.apiRequests()).toHaveLength(2);
      },
    );

    it('the guard holds when the token endpoint re-issues the same token', async () => {
      fake.nameToken = () => 'tok-same';
      // One 401 that the replay (with the same token, re-issued) gets past; then 401 for good.
      fake.script((n, _r, res) =>
        n === 0 || n === 2 ? ok(res) : sendJson(res, 401, { code: 'InvalidAccessToken' }),
      );
      const dwolla = fake.client();
      await dwolla.get('/warm');
      await dwolla.get('/transient-401');
      expect(fake.tokenRequests()).toHaveLength(2);
      for (let i = 0; i < 50; i++) {
        await expect(dwolla.get('/always-401')).rejects.toMatchObject({ status: 401 });
      }
      // One refresh for the first rejection of the re-issued token, then none for 60 s.
      expect(fake.tokenRequests()).toHaveLength(3);
      expect(fake.apiRequests()).toHaveLength(3 + 51);
    });

    it('a revoked token that worked before is replaced, even moments after the last refresh', async () => {
      fake.script((_n, _r, res) => ok(res));
      const dwolla = fake.client();
      await dwolla.get('/a');
      fake.revoke('tok-1');
      await dwolla.get('/b'); // 401 → tok-2, accepted
      fake.revoke('tok-2');
      await dwolla.get('/c'); // 401 → tok-3: tok-2 had been accepted
      expect(fake.issued).toEqual(['tok-1', 'tok-2', 'tok-3']);
    });
  });
});
