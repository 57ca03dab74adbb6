import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLinker } from './answer/answer-links.js';
import { checkBody } from './check/body-check.js';
import { createBodyThread, type BodyThreadOptions } from './check/body-thread.js';
import { compileAhead } from './check/compile-ahead.js';
import { isLoopbackHost } from '../common/url-scheme.js';
import { createDashboard } from './dashboard/dashboard.js';
import { createFaultQueue, type Fault } from './http/faults.js';
import { runCommand, type CommandName } from './command.js';
import { createHandler } from './http/handler.js';
import { createIdempotency } from './http/idempotency.js';
import { createRateLimit, type RateLimitOptions } from './http/rate-limit.js';
import { EVENTS, readResourceModel, RETRIES, WEBHOOKS } from './sandbox/resource-model.js';
import { createState } from './sandbox/responses.js';
import {
  createStore,
  DEFAULT_LIMITS,
  type EmulatorState,
  type StateLimits,
} from './sandbox/store.js';
import { createWebhookSender, type WebhookOptions } from './events/webhooks.js';
import { loadSpec, type OpenApiDocument } from './spec/load-spec.js';
import { isRecord } from './spec/spec-pointer.js';
import { listOperations, type Operation } from './spec/operations.js';
import { createResponder } from './answer/respond.js';
import { createRouter } from './http/router.js';
import { sampleRequest, type SampleRequest } from './answer/sample-request.js';
import { withoutKeywordProperties } from './spec/spec-defects.js';
import {
  findOverlappingOneOfs,
  relaxOverlappingOneOfs,
  type OverlappingOneOf,
} from './spec/one-of-overlaps.js';
import { createSchemaChecker } from './check/schemas.js';
import { createRecorder, type RecordedRequest, type Stats } from './http/stats.js';
import { createTokenStore } from './http/token-store.js';

export type { CommandName } from './command.js';
export type { OverlappingOneOf } from './spec/one-of-overlaps.js';
export type { Fault } from './http/faults.js';
export type { SampleRequest } from './answer/sample-request.js';
export type { RecordedRequest, Stats } from './http/stats.js';
export type { EmulatorState, StateLimits, StoredResource } from './sandbox/store.js';
export type { RateLimitOptions } from './http/rate-limit.js';
export type { WebhookOptions } from './events/webhooks.js';
export type { BodyThreadOptions } from './check/body-thread.js';
export { signature as webhookSignature } from './events/webhooks.js';

/**
 * The emulator's command line, as `npx dwolla-openapi-client emulator --spec <file> [options]`
 * (the package's bin) and `npm run emulator` run it: `--help` lists the options.
 */
export function runEmulatorCli(args: string[], name: CommandName): Promise<void> {
  return runCommand(args, name, startEmulator);
}

/** Options of {@link startEmulator}: the credentials it accepts, and the spec it emulates. */
export type EmulatorOptions = {
  /** A path to a YAML/JSON OpenAPI 3 file, or a parsed document. Default: openapi/dwolla.yaml. */
  spec?: string | URL | object;
  /** The client key (id) and secret that POST /token accepts. */
  key: string;
  /** The client secret that POST /token accepts with `key`. */
  secret: string;
  /** Lifetime of issued tokens, in seconds (default 3600). */
  tokenLifetime?: number;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The clock, in epoch milliseconds, that token expiry, `created` times, the 24 h
   * Idempotency-Key window and the rate limit are measured by (default Date.now). */
  now?: () => number;
  /** Keep resources (default true): false answers every operation with its sample, statelessly. */
  state?: boolean;
  /** Resources to start with: what `emu.state()` returned, from this or another emulator. */
  initialState?: EmulatorState;
  /** Caps on what state keeps (oldest dropped first). */
  stateLimits?: StateLimits;
  /** Answer 429 TooManyRequests beyond this many requests a second. */
  rateLimit?: RateLimitOptions;
  /** Webhook delivery: timeout, retries, backoff, and whether non-loopback URLs are allowed. */
  webhooks?: WebhookOptions;
  /** The thread that parses and validates request bodies over 32 KiB and compiles validators:
   * its per-job timeout and resource limits. */
  bodyThread?: BodyThreadOptions;
};

/** Where the emulator's default spec lives: the project's own openapi/dwolla.yaml. This module
 * sits at the same depth in src/ and in the package's dist/, so the path holds for both. */
const DEFAULT_SPEC_PATH = new URL('../../openapi/dwolla.yaml', import.meta.url);

/** Where the sandbox dashboard is served: a path no Dwolla API path uses. */
const DASHBOARD_PATH = '/_dashboard';
/** The dashboard's stylesheet and script, served as written: beside this module in src/ and in
 * the package's dist/ alike (tsup.config.ts copies them). */
const DASHBOARD_ASSETS = new URL('./dashboard/assets/', import.meta.url);

/** Bodies over this size are parsed and validated on the body thread (see the README's Bounds). */
const INLINE_BODY_BYTES = 32 * 1024;

/** A running emulator, from {@link startEmulator}: its URL, test controls and state. */
export type Emulator = {
  /** Base URL, e.g. http://127.0.0.1:53211 (no trailing slash). */
  url: string;
  /** The sandbox dashboard's page (`<url>/_dashboard`): state, webhooks and the request log. */
  dashboardUrl: string;
  /** Stops the server, ending open, slow and hanging connections too. */
  close(): Promise<void>;
  /** Every token issued so far stops working (401 InvalidAccessToken). */
  revokeTokens(): void;
  /** Lifetime in seconds of the tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  /** Makes the next `count` (default 1) matching requests fail, slow down or hang. */
  fault(fault: Fault): void;
  /** Forgets every pending fault. */
  clearFaults(): void;
  /** Counts of requests, by operation. */
  stats(): Stats;
  /** The most recent requests (up to 1000) with the emulator's answers, oldest first. */
  requests(): RecordedRequest[];
  /** Zeroes the counters and empties the request log. */
  resetStats(): void;
  /** A request this emulator accepts for the operation (add a bearer token for API calls). */
  sampleRequest(operationId: string): SampleRequest;
  /** The spec's operations, as the emulator routes them. */
  operations: ReadonlyArray<Pick<Operation, 'operationId' | 'method' | 'path'>>;
  /** A spec defect, found when the spec was loaded: each `oneOf` whose branches a body cannot
   * be told apart by. The emulator answers them by one rule (a body matches at least one branch:
   * see its README), as the contract suite checks them; other `oneOf`s keep "exactly one". */
  overlappingOneOfs: readonly OverlappingOneOf[];
  /** A copy of every stored resource (events and webhook deliveries included), to seed another
   * emulator with (`initialState`). */
  state(): EmulatorState;
  /** Forgets every stored resource and Idempotency-Key: back to the given state, or else to
   * the `initialState` the emulator started with (empty without one). */
  reset(initialState?: EmulatorState): void;
  /** Resolves once every webhook delivery under way (with its retries) has finished. */
  webhooksSettled(): Promise<void>;
};

/** Starts a local Dwolla emulator that behaves as the given spec describes. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (!options.key || !options.secret)
    throw new TypeError('startEmulator needs a key and a secret');
  const loaded = withoutKeywordProperties(await loadSpec(options.spec ?? DEFAULT_SPEC_PATH)).doc;
  // Spec defects the emulator answers by a documented rule (one-of-overlaps.ts): its doc from
  // here on is the spec with that rule applied.
  const overlappingOneOfs = findOverlappingOneOfs(loaded);
  const doc = relaxOverlappingOneOfs(loaded, overlappingOneOfs);
  const operations = listOperations(doc);
  const router = await createRouter(doc, operations);
  const checker = createSchemaChecker(doc);
  const limits = { ...DEFAULT_LIMITS, ...options.stateLimits };
  const tokens = createTokenStore({
    lifetime: options.tokenLifetime,
    now: options.now,
    maxTokens: limits.tokens,
  });
  const faults = createFaultQueue();
  const recorder = createRecorder();
  const tokenPath = tokenEndpointPath(doc);
  const timers = new Map<NodeJS.Timeout, (finished: boolean) => void>();
  let url = '';
  const now = options.now ?? Date.now;
  const sleep = (ms: number) =>
    new Promise<boolean>((done) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        done(true);
      }, ms);
      timers.set(timer, done);
    });
  // Where created resources are placed: paths that can be read back (GET).
  const paths = operations.filter((op) => op.method === 'get').map((op) => op.path);
  const stateful = options.state !== false;
  const store = createStore(
    () => url,
    (type) =>
      type === EVENTS
        ? 'events'
        : type === WEBHOOKS || type === RETRIES
          ? 'deliveries'
          : 'resources',
    limits,
  );
  const webhooks = createWebhookSender(options.webhooks ?? {}, {
    now,
    newId: randomUUID,
    maxKept: limits.deliveries,
  });
  const idempotency = createIdempotency(now);
  // The account the tokens act for: the root's `account` link, and the owner of account lists.
  const accountId = randomUUID();
  const model = readResourceModel(doc, operations);
  const stateDeps = {
    doc,
    checker,
    model,
    store,
    webhooks,
    paths,
    origin: () => url,
    now,
    accountId,
    maxAttempts: limits.attempts,
  };
  const state = stateful ? createState(stateDeps) : undefined;

  const bodyThread = createBodyThread(doc, options.bodyThread);
  const specKey = createHash('sha256').update(JSON.stringify(doc)).digest('base64');
  const prepared = compileAhead(checker, specKey, (wanted) => bodyThread.compile(wanted));
  const host = options.host ?? '127.0.0.1';

  function reset(initialState?: EmulatorState): void {
    idempotency.clear();
    const back = initialState ?? options.initialState;
    if (back) store.load(back, url);
    else store.clear();
    state?.seed();
  }
  // The dashboard's "Process bank transfers": the state's answer to POST /sandbox-simulations.
  const simulation = operations.find((op) => model.roleOf(op)?.kind === 'simulate');
  const simulate =
    state && simulation
      ? async () => {
          const at = new URL(simulation.path, url);
          const request = { operation: simulation, params: {}, url: at, body: undefined };
          await prepared(() => state.reply(request));
        }
      : undefined;
  const dashboard = createDashboard({
    prefix: DASHBOARD_PATH,
    store: stateful ? store : undefined,
    recent: (count) => recorder.recent(count),
    origin: () => url,
    simulate,
    reset: () => reset(),
    loopback: isLoopbackHost(host.includes(':') ? `[${host}]` : host),
    credentials: { key: options.key, secret: options.secret },
    assets: DASHBOARD_ASSETS,
  });
  const handler = createHandler({
    router,
    checker,
    respond: createResponder(doc, router, checker),
    link: createLinker(doc, operations, () => url, accountId),
    tokens,
    faults,
    recorder,
    credentials: { key: options.key, secret: options.secret },
    isTokenOperation: (op) => op.method === 'post' && op.path === tokenPath,
    paths,
    baseUrl: () => url,
    sleep,
    now,
    pages: { prefix: DASHBOARD_PATH, handle: dashboard },
    state,
    prepared,
    idempotency: stateful ? idempotency : undefined,
    rateLimit: options.rateLimit ? createRateLimit(options.rateLimit, now) : undefined,
    checkBody: (operation, contentType, raw) =>
      raw.length > INLINE_BODY_BYTES
        ? bodyThread.check({ operation, contentType, raw })
        : checkBody(doc, checker, operation, contentType, raw, prepared),
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return res.destroy();
      res.writeHead(500, { 'content-type': 'application/vnd.dwolla.v1.hal+json' });
      res.end(JSON.stringify({ code: 'EmulatorError', message: String(error) }));
    });
  });
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.initialState) store.load(options.initialState, url);
  state?.seed();

  return {
    url,
    dashboardUrl: url + DASHBOARD_PATH,
    async close() {
      webhooks.close();
      for (const [timer, done] of timers) {
        clearTimeout(timer);
        done(false);
      }
      timers.clear();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await Promise.all([closed, bodyThread.close()]);
    },
    revokeTokens: () => tokens.revokeAll(),
    setTokenLifetime: (seconds) => tokens.setLifetime(seconds),
    fault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    stats: () => recorder.stats(),
    requests: () => recorder.requests(),
    resetStats: () => recorder.reset(),
    sampleRequest(operationId) {
      const operation = operations.find((op) => op.operationId === operationId);
      if (!operation) throw new RangeError(`The spec has no operation ${operationId}`);
      return sampleRequest(doc, checker, operation);
    },
    operations: operations.map(({ operationId, method, path }) => ({ operationId, method, path })),
    overlappingOneOfs,
    state: () => store.snapshot(url),
    reset,
    webhooksSettled: () => webhooks.settled(),
  };
}

/** The token URL of the spec's OAuth2 client-credentials scheme (Dwolla's: /token). */
function tokenEndpointPath(doc: OpenApiDocument): string {
  const schemes = doc.components?.securitySchemes;
  for (const scheme of Object.values(isRecord(schemes) ? schemes : {})) {
    const tokenUrl = (scheme as { flows?: { clientCredentials?: { tokenUrl?: unknown } } })?.flows
      ?.clientCredentials?.tokenUrl;
    if (typeof tokenUrl === 'string') return new URL(tokenUrl, 'http://emulator.invalid').pathname;
  }
  return '/token';
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}
