/**
 * `createUndiciTransport()`: the client's transport on an undici `Agent` of its own (undici is an
 * optional peer): the same dispatcher transport as Node's built-in one (dispatcher-transport.ts),
 * with a connection pool whose size, connect timeout and TLS options you choose, and that you
 * close on shutdown.
 */
import type { ConnectionOptions } from 'node:tls';
import type * as Undici from 'undici';
import { MAX_TIMER_MS } from '../common/time-limit.js';
import { requirePeers } from '../peers.js';
import { dispatcherTransport, type Dispatcher } from './dispatcher-transport.js';
import type { DwollaTransport } from './transport.js';

// Checked at import (a missing undici fails the import, naming it); loaded on the first
// createUndiciTransport() call, so importing this entry point stays cheap.
const peer = requirePeers('dwolla-openapi-client/transport', ['undici']);
let undici: typeof Undici | undefined;

/** Connections kept per origin by default: enough for a busy worker, never unbounded. */
/** Default most connections open at once to one origin. */
export const DEFAULT_CONNECTIONS = 16;
/** Default time allowed to open a connection (TCP and TLS). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Options of {@link createUndiciTransport}. */
export interface UndiciTransportOptions {
  /** Most connections open at once to one origin; more requests wait for one. Default 16. */
  connections?: number;
  /** Milliseconds allowed to open a connection, TLS handshake included. Default 10,000. */
  connectTimeoutMs?: number;
  /** TLS options for `https:` origins, e.g. `{ ca }` to trust a private certificate authority. */
  tls?: Pick<
    ConnectionOptions,
    'ca' | 'cert' | 'key' | 'passphrase' | 'pfx' | 'rejectUnauthorized' | 'servername'
  >;
}

/** What {@link createUndiciTransport} returns: the `transport` option of a client, plus `close()`. */
export interface UndiciTransport extends DwollaTransport {
  /** Waits for requests in flight, then closes every connection. */
  close(): Promise<void>;
}

function fail(option: string, requirement: string): never {
  throw new TypeError(`createUndiciTransport: options.${option} ${requirement}`);
}

/**
 * A transport for `createDwollaClient({ transport })` on its own undici `Agent`: keep-alive
 * connections, at most `connections` per origin (default 16).
 */
export function createUndiciTransport(options: UndiciTransportOptions = {}): UndiciTransport {
  const { connections = DEFAULT_CONNECTIONS, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS } =
    options;
  if (!(Number.isInteger(connections) && connections > 0)) {
    fail('connections', 'must be a positive integer');
  }
  if (!(typeof connectTimeoutMs === 'number' && connectTimeoutMs > 0)) {
    fail('connectTimeoutMs', 'must be a positive number of milliseconds');
  }
  if (connectTimeoutMs > MAX_TIMER_MS) {
    fail('connectTimeoutMs', `must be at most ${MAX_TIMER_MS} ms (what a timer holds)`);
  }
  undici ??= peer<typeof Undici>('undici');
  const agent = new undici.Agent({
    connections,
    pipelining: 1,
    connect: { ...options.tls, timeout: connectTimeoutMs },
  });
  const { send } = dispatcherTransport(() => agent as unknown as Dispatcher);
  return { send, close: () => agent.close() };
}
