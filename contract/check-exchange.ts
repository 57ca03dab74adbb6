import type { RecordedRequest } from '../src/emulator/index.js';
import type { Operation } from '../src/emulator/spec/operations.js';
import { isJsonMediaType, mediaTypeOf, parseBody } from '../src/emulator/check/request-body.js';
import type { SchemaChecker } from '../src/emulator/check/schemas.js';
import { pathParams } from '../src/emulator/http/router.js';
import { escapeSegment, isRecord } from '../src/emulator/spec/spec-pointer.js';
import { validateBody, validateParameters } from '../src/emulator/check/validate.js';
import type { Oracle } from './oracle.js';

const HAL_JSON = 'application/vnd.dwolla.v1.hal+json';

/**
 * Checks one request as it arrived on the wire (routed by the emulator to `operation`), and the
 * answer it got, against the spec: the headers every Dwolla call needs, parameters and body
 * against their schemas; a declared 2xx status, its body against the response schema (judged by
 * the oracle, not the emulator's checker), a Location header on the server's origin for a 201,
 * no link to Dwolla's API hosts in the body. Returns the problems found ([] when it holds).
 */
export async function checkExchange(
  checker: SchemaChecker,
  oracle: Oracle,
  operation: Operation,
  exchange: RecordedRequest,
  origin: string,
  isToken: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  const header = (name: string) => {
    const value = exchange.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };

  const authorization = header('authorization') ?? '';
  if (!authorization.startsWith(isToken ? 'Basic ' : 'Bearer ')) {
    problems.push(`sent no ${isToken ? 'Basic' : 'Bearer'} Authorization header`);
  }
  if (!isToken && header('accept') !== HAL_JSON) problems.push(`sent Accept: ${header('accept')}`);

  const query = new URLSearchParams(exchange.query);
  for (const error of validateParameters(checker, operation, {
    params: pathParams(operation.path, exchange.path),
    query,
    headers: exchange.headers,
  })) {
    problems.push(`request parameter ${error.path}: ${error.message}`);
  }
  const body = await parseBody(operation, header('content-type'), Buffer.from(exchange.body));
  if (body.kind === 'malformed' || body.kind === 'unsupported') {
    problems.push(`request body: ${body.kind} (${header('content-type')})`);
  }
  for (const error of validateBody(checker, operation, body)) {
    problems.push(`request body ${error.path || '/'}: ${error.message}`);
  }

  const response = exchange.response;
  if (!response) return [...problems, 'got no response'];
  problems.push(...checkResponse(oracle, operation, response, origin));
  return problems;
}

function checkResponse(
  oracle: Oracle,
  operation: Operation,
  response: NonNullable<RecordedRequest['response']>,
  origin: string,
): string[] {
  const status = String(response.status);
  const declared = operation.responses[status] ?? operation.responses[`${status[0]}XX`];
  if (!/^2/.test(status)) return [`answered ${status}: ${response.body.slice(0, 300)}`];
  if (!declared) return [`answered ${status}, which the spec does not declare`];
  const problems: string[] = [];
  if (status === '201') {
    const location = response.headers.location;
    if (!location) problems.push('201 without a Location header');
    else if (!URL.canParse(location) || new URL(location).origin !== origin) {
      problems.push(`Location ${location} is not an absolute URL on ${origin}`);
    }
  }
  const content = isRecord(declared.value.content) ? declared.value.content : {};
  const declaresBody = Object.keys(content).length > 0;
  if (response.body === '') {
    // Dwolla's 201 carries the new resource in Location, with no body, whatever it declares.
    if (declaresBody && status !== '201') problems.push(`answered ${status} with an empty body`);
    return problems;
  }
  if (!declaresBody)
    return [...problems, `answered ${status} with a body the spec does not declare`];
  const mediaType = mediaTypeOf(response.headers['content-type']);
  const match = mediaType in content ? mediaType : Object.keys(content).find(isJsonMediaType);
  if (!match || !isJsonMediaType(mediaType)) {
    return [...problems, `answered ${status} as ${mediaType}, which the spec does not declare`];
  }
  const media = content[match];
  if (!isRecord(media) || media.schema === undefined) return problems;
  const schemaAt = `${declared.at}/content/${escapeSegment(match)}/schema`;
  let data: unknown;
  try {
    data = JSON.parse(response.body);
  } catch {
    return [...problems, `answered ${status} with a body that is not JSON`];
  }
  for (const error of oracle(schemaAt, data)) problems.push(`response body ${error}`);
  for (const href of hrefs(data)) {
    // A link to Dwolla's API leaves the server under test (and the client refuses to follow it).
    if (DWOLLA_API.test(href)) problems.push(`response link ${href} is not on ${origin}`);
  }
  return problems;
}

const DWOLLA_API = /^https?:\/\/api(-sandbox)?\.dwolla\.com(?=[/?#:]|$)/i;

/** Every `href` in a JSON value. */
function hrefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(hrefs);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'href' && typeof item === 'string' ? [item] : hrefs(item),
  );
}
