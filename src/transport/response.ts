import type { DwollaTransportResponse } from './transport.js';

/** Statuses whose Response has no body, whatever was sent. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** Whether an answer's Response has no body: none was sent, or its status takes none. */
export function hasNoBody(answer: DwollaTransportResponse): boolean {
  return answer.body.byteLength === 0 || NULL_BODY_STATUS.has(answer.status);
}

/**
 * A WHATWG `Response` for a transport's answer, where one is asked for: what `dwolla.fetch`
 * resolves to, `result.response` and `error.response`. Its `url` is the URL the request was sent
 * to, as a fetched Response's is (a constructed one has none: it is set on the instance).
 */
export function toResponse(answer: DwollaTransportResponse, url: URL): Response {
  const body = hasNoBody(answer) ? null : (answer.body as Uint8Array<ArrayBuffer>);
  const init = { status: answer.status, headers: answer.headers };
  let response: Response;
  try {
    response = new Response(body, { ...init, statusText: answer.statusText });
  } catch {
    response = new Response(body, init); // a reason phrase Response does not take
  }
  Object.defineProperty(response, 'url', { value: url.href, enumerable: false });
  return response;
}
