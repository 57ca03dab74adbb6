/**
 * The transport a client uses when given none: on Node, Node's own built-in dispatcher (the one
 * its global `fetch` sends through) driven directly, with no dependency; anywhere else, or when
 * `globalThis.fetch` is no longer Node's own (a test mock such as msw's, a stub, an
 * instrumentation wrapper), the global `fetch`, so that what replaced it still sees every request.
 *
 * Node installs its dispatcher on `globalThis[Symbol.for('undici.globalDispatcher.1')]` when its
 * bundled undici loads, which happens on first use of `fetch` or of one of its classes; reading
 * `globalThis.Headers` loads it. `setGlobalDispatcher()` (undici's MockAgent, a ProxyAgent)
 * replaces it there, for `fetch` and for this transport alike: it is read on every request.
 */
import { dispatcherTransport, type Dispatcher } from './dispatcher-transport.js';
import { fetchTransport } from './fetch-transport.js';
import type { DwollaTransport } from './transport.js';

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

type WithDispatcher = { [GLOBAL_DISPATCHER]?: unknown };

/** Node's built-in dispatcher, loading it if needed; undefined where there is none. */
export function builtinDispatcher(): Dispatcher | undefined {
  const global = globalThis as typeof globalThis & WithDispatcher;
  // Reading Headers loads Node's undici, which installs its dispatcher (elsewhere: nothing).
  if (global[GLOBAL_DISPATCHER] === undefined) void globalThis.Headers;
  const dispatcher = global[GLOBAL_DISPATCHER] as Partial<Dispatcher> | undefined;
  return typeof dispatcher?.dispatch === 'function' ? (dispatcher as Dispatcher) : undefined;
}

/**
 * Node's own `fetch` lazily requires Node's internal undici (`internal/deps/undici/undici`, a
 * module no code outside Node can load): that line of its text marks it (Node 20, 22 and 24
 * alike; its signature and comments vary between releases). Nothing else tells it apart: Node
 * gives no reference to its own `fetch` to compare with, one taken when this module loads may
 * already be a replacement, and a probing call would reach a replacement (a test's spy would
 * count it). A function not recognised is used as the caller's: the safe side (every request
 * still reaches it, only more slowly).
 */
const LOADS_NODE_UNDICI = /\brequire\((['"])internal\/deps\/undici\/undici\1\)/;

function isNodeFetch(fetch: unknown): boolean {
  try {
    return LOADS_NODE_UNDICI.test(Function.prototype.toString.call(fetch));
  } catch {
    // Not a function.
    return false;
  }
}

/** Which adapter the default transport uses right now. */
export type DefaultAdapter = 'node-dispatcher' | 'fetch';

/**
 * The default transport: each request goes to Node's built-in dispatcher while `globalThis.fetch`
 * is Node's own and the dispatcher slot holds something that can `dispatch()`, else to
 * `globalThis.fetch`. Both are looked up for each request (a function's text only when
 * `globalThis.fetch` is another function than last time).
 */
export function createDefaultTransport(): DwollaTransport & { adapter(): DefaultAdapter } {
  const viaGlobalFetch = fetchTransport((input, init) => globalThis.fetch(input, init));
  const viaDispatcher = dispatcherTransport(() => builtinDispatcher()!);
  let checked: unknown;
  let nodeFetch = false;
  const adapter = (): DefaultAdapter => {
    const fetch = globalThis.fetch;
    if (fetch !== checked) {
      checked = fetch;
      nodeFetch = isNodeFetch(fetch);
    }
    return nodeFetch && builtinDispatcher() !== undefined ? 'node-dispatcher' : 'fetch';
  };
  return {
    send: (request) =>
      adapter() === 'node-dispatcher' ? viaDispatcher.send(request) : viaGlobalFetch.send(request),
    adapter,
  };
}
