import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Linker } from './answer-links.js';
import { faultReply, type FaultQueue } from './faults.js';
import type { Operation } from './operations.js';
import { dwollaError, HAL_JSON, notFound, type Reply } from './replies.js';
import { mediaTypeOf, parseBody } from './request-body.js';
import { createdLocation, type NoValidSample, type SuccessResponse } from './respond.js';
import type { RouteMatch, Router } from './router.js';
import type { SchemaChecker } from './schemas.js';
import { chooseSuccessStatus } from './success-status.js';
import type { Recorder, RecordedRequest } from './stats.js';
import { tokenReply, type Credentials } from './token-endpoint.js';
import type { TokenStore } from './token-store.js';
import { validateBody, validateParameters } from './validate.js';

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
};

/** Largest request body read; bigger ones get 413. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Answers one request as Dwolla would: faults, routing, auth, Accept, validation, then a sample. */
export function createHandler(deps: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const route = deps.router.match(method, url.pathname);
    const operation = route.kind === 'operation' ? route.operation : undefined;
    const body = await readBody(req);
    const entry: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      operationId: operation?.operationId,
      headers: withoutCredentials(req.headers),
      body: body?.toString('utf8') ?? '',
    };
    const isToken = operation !== undefined && deps.isTokenOperation(operation);
    deps.recorder.request(entry, isToken);

    const fault = deps.faults.take(method, url.pathname, operation?.path);
    if (fault?.latencyMs && !(await deps.sleep(fault.latencyMs))) return;
    if (fault?.hang) return; // never answered; close() ends the connection
    const reply =
      fault?.status !== undefined
        ? faultReply({ ...fault, status: fault.status })
        : await replyTo(deps, req, route, url, body);
    send(res, reply, entry);
  };
}

async function replyTo(
  deps: HandlerDeps,
  req: IncomingMessage,
  route: RouteMatch,
  url: URL,
  body: Buffer | undefined,
): Promise<Reply> {
  if (body === undefined) {
    return dwollaError(413, 'RequestTooLarge', `The request body is over ${MAX_BODY_BYTES} bytes.`);
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

  const body = await parseBody(operation, req.headers['content-type'], raw);
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
  const errors = [
    ...validateParameters(deps.checker, operation, {
      params,
      query: url.searchParams,
      headers: req.headers,
    }),
    ...validateBody(deps.checker, operation, body),
  ];
  if (errors.length) {
    return dwollaError(
      400,
      'ValidationError',
      'Validation error(s) present. See embedded errors list for more details.',
      {
        _embedded: { errors: errors.map((e) => ({ ...e, _links: {} })) },
      },
    );
  }

  const sample = deps.respond(operation, chooseSuccessStatus(operation, body));
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

/** The whole body, or undefined when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: Reply, entry: RecordedRequest): void {
  if (res.destroyed) return;
  const body =
    typeof reply.body === 'string' || reply.body === undefined
      ? (reply.body ?? '')
      : JSON.stringify(reply.body);
  const headers = { ...reply.headers };
  if (body.length === 0) delete headers['content-type'];
  entry.response = { status: reply.status, headers, body };
  res.writeHead(reply.status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Request headers as logged: the Authorization scheme is kept, the credentials never are. */
function withoutCredentials(headers: IncomingMessage['headers']): RecordedRequest['headers'] {
  const { authorization, ...rest } = headers;
  if (authorization === undefined) return rest;
  const scheme = /^\S+/.exec(authorization)?.[0] ?? '';
  return { ...rest, authorization: `${scheme} [redacted]` };
}
