import type { Client } from '../generated/client/index.js';
import { DwollaRequestRefusedError } from '../errors.js';

/** A generated SDK function: `(options) => options.client.<method>({ url, ...options })`. */
export type GeneratedOperation = (options: never) => unknown;

/**
 * The URL a generated operation would call with these options (path and query parameters
 * serialised as the generated client does), without calling anything: the operation is run
 * against a stand-in client that records which method it used and with what options, then the
 * real client builds the URL. Only GET operations (lists) are accepted.
 */
export function operationUrl(
  operation: GeneratedOperation,
  options: object,
  client: Client,
  caller: string,
): URL {
  let recorded: { method: string; options: Parameters<Client['buildUrl']>[0] } | undefined;
  const recorder = new Proxy(
    {},
    {
      get: (_target, method) => (opts: Parameters<Client['buildUrl']>[0]) => {
        recorded = { method: String(method), options: opts };
        return Promise.resolve(undefined);
      },
    },
  );
  (operation as (options: object) => unknown)({ ...options, client: recorder });
  if (recorded?.method !== 'get') {
    throw new DwollaRequestRefusedError(
      `${caller}: expected a generated list operation (GET), got ${
        recorded
          ? `one that sends ${recorded.method.toUpperCase()}`
          : 'a function that sends nothing'
      }`,
    );
  }
  return new URL(client.buildUrl(recorded.options));
}
