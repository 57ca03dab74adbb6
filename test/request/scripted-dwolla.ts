/**
 * A fake Dwolla whose API handler is told how many API requests came before (as stripe-node's
 * test servers): "fail twice, then succeed" is one line. Real token endpoint, real bearer check.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach } from 'vitest';
import type { DwollaClient, DwollaClientOptions } from '../../src/index.js';
import { KEY, SECRET, startFakeDwolla, type FakeDwolla } from '../auth/fake-dwolla.js';
import { sendJson, type RecordedRequest } from '../helpers/recording-server.js';
import { testClient, type TestKnobs } from '../helpers/test-client.js';

export type Script = (n: number, request: RecordedRequest, res: ServerResponse) => unknown;

export interface ScriptedDwolla extends FakeDwolla {
  /** Sets the API handler: `n` is the number of API requests before this one. */
  script(script: Script): void;
  /** A client of it, on the default transport; waits between retries return at once. */
  client(options?: Partial<DwollaClientOptions> & TestKnobs): DwollaClient;
}

export async function startScriptedDwolla(): Promise<ScriptedDwolla> {
  const fake = await startFakeDwolla();
  const scripted = fake as ScriptedDwolla;
  scripted.script = (script) => {
    fake.api = (request, res) => script(fake.apiRequests().length - 1, request, res);
  };
  scripted.client = (options = {}) =>
    testClient({
      key: KEY,
      secret: SECRET,
      baseUrl: fake.origin,
      sleep: async () => {},
      ...options,
    });
  return scripted;
}

export const ok = (res: ServerResponse, body: unknown = { ok: true }) => sendJson(res, 200, body);
export const status = (res: ServerResponse, code: number, headers: Record<string, string> = {}) =>
  sendJson(res, code, { code: `Http${code}`, message: `status ${code}` }, headers);
/** Leaves the request unanswered (the server's close() ends it). */
export const hang = (res: ServerResponse) => void res;
/** Drops the connection without an answer. */
export const reset = (res: ServerResponse) => res.socket?.destroy();

/** A fresh scripted Dwolla for each test of the enclosing describe: `use(fake)` receives it. */
export function eachScriptedDwolla(use: (fake: ScriptedDwolla) => void): void {
  let fake: ScriptedDwolla | undefined;
  beforeEach(async () => {
    fake = await startScriptedDwolla();
    use(fake);
  });
  afterEach(async () => {
    await fake?.close();
  });
}
