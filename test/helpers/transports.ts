/**
 * The transports a client test runs through: Node's global `fetch` (the default) and
 * `createUndiciFetch()`. `describe.each(TRANSPORTS)` runs the same assertions on both;
 * `transport.fetch()` gives the `fetch` option for one client (undefined: the default), and
 * `transport.close()` closes what it opened.
 */
import { createUndiciFetch, type UndiciFetch } from '../../src/transport/index.js';

export interface TestTransport {
  name: string;
  /** The `fetch` option for a client: undefined for the default global fetch. */
  fetch(): typeof globalThis.fetch | undefined;
  /** Closes every transport `fetch()` opened. */
  close(): Promise<void>;
}

function undiciTransport(): TestTransport {
  const opened: UndiciFetch[] = [];
  return {
    name: 'createUndiciFetch()',
    fetch() {
      const transport = createUndiciFetch();
      opened.push(transport);
      return transport;
    },
    async close() {
      await Promise.all(opened.splice(0).map((t) => t.close()));
    },
  };
}

export const TRANSPORTS: TestTransport[] = [
  { name: 'global fetch', fetch: () => undefined, close: async () => {} },
  undiciTransport(),
];
