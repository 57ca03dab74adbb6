import { DWOLLA_DOCUMENT_MAX_BYTES } from '../../documents/document-file.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Linker } from '../answer/answer-links.js';
import { faultReply, type FaultQueue } from './faults.js';
import type { Claim, Idempotency } from './idempotency.js';
import type { Operation } from '../spec/operations.js';
import { dwollaError, HAL_JSON, notFound, type Reply } from './replies.js';
import { BodyThreadBusyError, BodyThreadError } from '../check/body-thread.js';
import type { Prepared } from '../check/compile-ahead.js';
import { MAX_LISTED_ERRORS, type BodyVerdict } from '../check/body-check.js';
import { mediaTypeOf } from '../check/request-body.js';
import { createdLocation, type NoValidSample, type SuccessResponse } from '../answer/respond.js';
import type { RouteMatch, Router } from './router.js';
import { MAX_FIELD_ERRORS, type FieldError, type SchemaChecker } from '../check/schemas.js';
import type { State } from '../sandbox/responses.js';
import { chooseSuccessStatus } from '../answer/success-status.js';
import type { Recorder, RecordedRequest } from './stats.js';
import { tokenReply, type Credentials } from './token-endpoint.js';
import type { TokenStore } from './token-store.js';
import { validateParameters } from '../check/validate.js';

export type HandlerDeps = {
  router: Router;
  checker: SchemaChecker;
  respond: (operation: Operation, status?: string) => SuccessResponse | NoValidSample;
  /** Puts a success body's links on the emulator (see answer-links.ts). */
  link: Linker;
  tokens: TokenStore;
  faults: FaultQueue;
  recorder: Recorder;
  credentials: Credentials;
  /** The operation that issues tokens (POST /token). */
  isTokenOperation: (operation: Operation) => boolean;
  /** The path templates that have a GET (Location headers point at one). */
  paths: string[];
  baseUrl: () => string;
  /** Waits, unless the emulator closes first (then resolves false). */
  sleep: (ms: number) => Promise<boolean>;
  /** Stored resources; without it every operation answers its sample (stateless). Its reply
   * runs under `prepared`, keeping what it changes only once it ran with every validator. */
  state?: State;
  /** Runs a step that changes nothing once the validators it uses are at hand, without
   * compiling them on the main thread (see compile-ahead.ts). */
  prepared: Prepared;
  idempotency?: Idempotency;
  /** Pages the emulator serves beside the API (the dashboard), under a path prefix no Dwolla
   * path uses: answered before anything else, never logged, counted, rate limited or faulted. */
  pages?: { prefix: string; handle(req: IncomingMessage, res: ServerResponse): Promise<void> };
  /** The clock of the request log's times (epoch milliseconds). */
  now: () => number;
  /** A 429 reply when the request is over the rate limit. */
  rateLimit?: () => Reply | undefined;
  /** Parses and validates a request body (large ones off the main thread: body-thread.ts). */
  checkBody: (
    operation: Operation,
    contentType: string | undefined,
    raw: Buffer,
  ) => Promise<BodyVerdict>;
};

/** Largest request body read; bigger ones get 413. Multipart (document uploads) may be larger. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A document at Dwolla's limit (the client's own) and the form around it: the documents rule
 * judges the file itself (413 FileTooLarge). */
const MAX_MULTIPART_BYTES = DWOLLA_DOCUMENT_MAX_BYTES + 64 * 1024;
/** Characters of each request and response body the request log keeps. */
export const LOGGED_BODY_CHARS = 4096;

/** Whether `path` is `prefix` or below it. */
function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

/** Answers one request as Dwolla would: faults, routing, auth, Accept, validation, then a sample. */
export function createHandler(deps: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const { pages } = deps;
    if (pages && isUnder(url.pathname, pages.prefix)) return pages.handle(req, res);
    const method = (req.method ?? 'GET').toUpperCase();
    const route = deps.router.match(method, url.pathname);
    const operation = route.kind === 'operation' ? route.operation : undefined;
    const multipart = mediaTypeOf(req.headers['content-type']) === 'multipart/form-data';
    const body = await readBody(req, multipart ? MAX_MULTIPART_BYTES : MAX_BODY_BYTES);
    const isToken = operation !== undefined && deps.isTokenOperation(operation);
    const entry: RecordedRequest = {
      time: new Date(deps.now()).toISOString(),
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      operationId: operation?.operationId,
      headers: withoutCredentials(req.headers),
      body: logged(isToken ? withoutSecrets(body) : (body?.toString('utf8') ?? '')),
    };
    deps.recorder.request(entry, isToken);

    const limited = deps.rateLimit?.();
    if (limited) return send(res, limited, entry, isToken);
    const claim = idempotencyClaim(deps, req, operation, body);
    if (claim && claim.kind !== 'new') return send(res, claimReply(claim), entry, isToken);

    let reply: Reply | undefined;
    try {
      const fault = deps.faults.take(method, url.pathname, operation?.path);
      if (fault?.latencyMs && !(await deps.sleep(fault.latencyMs))) return;
      if (fault?.hang) return; // never answered; close() ends the connection
      reply =
        fault?.status !== undefined
          ? faultReply({ ...fault, status: fault.status })
          : await replyTo(deps, req, route, url, body);
    } finally {
      claim?.settle(reply);
    }
    send(res, reply, entry, isToken);
  };
}

/** The claim on a POST's Idempotency-Key, for an authenticated API call that sends one. */
function idempotencyClaim(
  deps: HandlerDeps,
  req: IncomingMessage,
  operation: Operation | undefined,
  body: Buffer | undefined,
): Claim | undefined {
  const key = req.headers['idempotency-key'];
  if (!deps.idempotency || typeof key !== 'string' || !key || !body) return undefined;
  if (!operation || operation.method !== 'post' || deps.isTokenOperation(operation)) return;
  const bearer = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer === undefined || deps.tokens.check(bearer) !== 'live') return undefined;
  return deps.idempotency.claim(key, { method: 'POST', path: req.url ?? '/', body });
}

function claimReply(claim: Exclude<Claim, { kind: 'new' }>): Reply {
  if (claim.kind === 'replay') return claim.reply;
  return claim.kind === 'in-flight'
    ? dwollaError(409, 'Conflict', 'A request with this Idempotency-Key is still being handled.')
    : dwollaError(
        409,
        'Conflict',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
}

async function replyTo(
  deps: HandlerDeps,
  req: IncomingMessage,
  route: RouteMatch,
  url: URL,
  body: Buffer | undefined,
): Promise<Reply> {
  if (body === undefined) {
    return dwollaError(
      413,
      'RequestTooLarge',
      `The request body is over ${MAX_BODY_BYTES} bytes (${MAX_MULTIPART_BYTES} for multipart/form-data).`,
    );
  }
  if (route.kind === 'not-found') return notFound();
  if (route.kind === 'method-not-allowed') {
    const message = `${req.method} is not allowed on ${url.pathname}.`;
    return dwollaError(405, 'MethodNotAllowed', message, {}, { allow: route.allow.join(', ') });
  }
  if (deps.isTokenOperation(route.operation)) {
    const { authorization, 'content-type': contentType } = req.headers;
    return tokenReply({ authorization, contentType, body }, deps.credentials, deps.tokens);
  }
  return apiReply(deps, req, route.operation, route.params, url, body);
}

async function apiReply(
  deps: HandlerDeps,
  req: IncomingMessage,
  operation: Operation,
  params: Record<string, string>,
  url: URL,
  raw: Buffer,
): Promise<Reply> {
  const bearer = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer === undefined ? 'unknown' : deps.tokens.check(bearer);
  if (token === 'unknown') return dwollaError(401, 'InvalidAccessToken', 'Invalid access token.');
  if (token === 'expired') return dwollaError(401, 'ExpiredAccessToken', 'Expired access token.');

  const accepted = (req.headers.accept ?? '').split(',').map(mediaTypeOf);
  if (!accepted.includes(HAL_JSON)) {
    return dwollaError(
      406,
      'InvalidVersion',
      `Missing or invalid API version: set the Accept header to ${HAL_JSON}.`,
    );
  }

  let verdict: BodyVerdict;
  try {
    verdict = await deps.checkBody(operation, req.headers['content-type'], raw);
  } catch (error) {
    if (!(error instanceof BodyThreadError)) throw error;
    if (error instanceof BodyThreadBusyError) {
      const message = `Too many large bodies are waiting to be checked (${error.message}); retry shortly.`;
      return dwollaError(429, 'TooManyRequests', message, {}, { 'retry-after': '1' });
    }
    return dwollaError(
      413,
      'RequestTooLarge',
      `The request body could not be checked: ${error.message}. Send a smaller or simpler body.`,
    );
  }
  const { body } = verdict;
  if (body.kind === 'malformed') {
    return dwollaError(400, 'BadRequest', 'The request body contains bad syntax or is incomplete.');
  }
  if (body.kind === 'unsupported') {
    const declared = Object.keys(operation.requestBody?.content ?? {}).join(', ');
    return dwollaError(
      415,
      'UnsupportedMediaType',
      `Content-Type ${body.mediaType || '(none)'} is not supported here; use ${declared}.`,
    );
  }
  const parameterErrors = await deps.prepared(() =>
    validateParameters(deps.checker, operation, {
      params,
      query: url.searchParams,
      headers: req.headers,
    }),
  );
  if (parameterErrors.length || verdict.errorCount) {
    const errors = [...parameterErrors, ...verdict.errors];
    return validationError(errors, parameterErrors.length + verdict.errorCount);
  }

  const parsed = body.kind === 'parsed' ? body : undefined;
  const request = { operation, params, url, body: parsed?.value, files: parsed?.files };
  const { state } = deps;
  const stored = state ? await deps.prepared(() => state.reply(request)) : undefined;
  if (stored) return stored;
  const status = chooseSuccessStatus(operation, body);
  const sample = await deps.prepared(() => deps.respond(operation, status));
  if ('problem' in sample) {
    return dwollaError(500, 'EmulatorError', sample.problem, {
      _embedded: { errors: sample.errors },
    });
  }
  const headers: Record<string, string> = {};
  if (sample.mediaType) headers['content-type'] = sample.mediaType;
  if (sample.location) {
    headers.location = deps.baseUrl() + createdLocation(operation, url.pathname, deps.paths);
  }
  const answer = sample.body === undefined ? '' : deps.link(sample.body, operation, url);
  return { status: sample.status, headers, body: answer };
}

/** Dwolla's 400 ValidationError, listing the first MAX_LISTED_ERRORS of `total` errors. */
function validationError(errors: FieldError[], total: number): Reply {
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const count = total >= MAX_FIELD_ERRORS ? `${MAX_FIELD_ERRORS} or more` : total;
  const more = total > listed.length ? ` The first ${listed.length} of ${count} are listed.` : '';
  return dwollaError(
    400,
    'ValidationError',
    `Validation error(s) present. See embedded errors list for more details.${more}`,
    { _embedded: { errors: listed.map((e) => ({ ...e, _links: {} })) } },
  );
}

/** The whole body, or undefined when it is larger than `max` bytes (the rest is not kept). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
  }
  return size > max ? undefined : Buffer.concat(chunks);
}

/** A body as the request log keeps it: at most LOGGED_BODY_CHARS characters. */
function logged(text: string): string {
  if (text.length <= LOGGED_BODY_CHARS) return text;
  return `${text.slice(0, LOGGED_BODY_CHARS)}… [${text.length - LOGGED_BODY_CHARS} more characters]`;
}

function send(res: ServerResponse, reply: Reply, entry: RecordedRequest, isToken: boolean): void {
  if (res.destroyed) return;
  const body =
    typeof reply.body === 'string' || reply.body === undefined
      ? (reply.body ?? '')
      : JSON.stringify(reply.body);
  const headers = { ...reply.headers };
  if (body.length === 0) delete headers['content-type'];
  // The log never holds an access token: the token endpoint's answers are kept without it.
  const kept = isToken ? body.replace(/("access_token"\s*:\s*)"[^"]*"/g, '$1"[redacted]"') : body;
  entry.response = { status: reply.status, headers, body: logged(kept) };
  res.writeHead(reply.status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A token request's form body as logged: grant_type and scope kept, any other value hidden.
 * One pass, and only over the part of the body the log keeps. */
function withoutSecrets(body: Buffer | undefined): string {
  const text = body?.toString('utf8', 0, LOGGED_BODY_CHARS * 4) ?? '';
  const kept = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(text)) {
    kept.append(name, name === 'grant_type' || name === 'scope' ? value : '[redacted]');
  }
  return kept.toString();
}

/** Request headers as logged: the Authorization scheme is kept, the credentials never are. */
function withoutCredentials(headers: IncomingMessage['headers']): RecordedRequest['headers'] {
  const { authorization, ...rest } = headers;
  if (authorization === undefined) return rest;
  const scheme = /^\S+/.exec(authorization)?.[0] ?? '';
  return { ...rest, authorization: `${scheme} [redacted]` };
}
