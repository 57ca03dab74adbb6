import type { Operation } from '../spec/operations.js';
import { isEmptyValue, type ParsedBody } from '../check/request-body.js';
import { isRecord } from '../spec/spec-pointer.js';

/**
 * The success response an operation answers with when nothing in the request chooses: its
 * lowest explicit 2xx, else `2XX`, else `default` (a key of `operation.responses`).
 */
export function defaultSuccessStatus(operation: Operation): string | undefined {
  const keys = Object.keys(operation.responses);
  return (
    successKeys(operation)[0] ??
    keys.find((k) => k.toUpperCase() === '2XX') ??
    keys.find((k) => k === 'default')
  );
}

/**
 * The success response that answers this request, chosen from what the spec declares.
 *
 * One declared 2xx: that one. Several, as on Dwolla's `POST /funding-sources/{id}/micro-deposits`
 * ("without a request body … initiate"; "include deposit amounts to verify"), are told apart by
 * the request body, when the operation makes it optional:
 * - no body (also `null` or `{}`, which say nothing) → the lowest 2xx that declares no content
 *   (Dwolla's `201 Created` with a `Location`);
 * - a body → the lowest 2xx that declares content (`200` with the verification's answer).
 * Otherwise, or when no declared response fits, the default (the lowest 2xx).
 */
export function chooseSuccessStatus(operation: Operation, body: ParsedBody): string | undefined {
  const keys = successKeys(operation);
  if (keys.length < 2 || operation.requestBody?.required !== false) {
    return defaultSuccessStatus(operation);
  }
  const wantsContent = !isEmptyBody(body);
  return (
    keys.find((key) => declaresContent(operation, key) === wantsContent) ??
    defaultSuccessStatus(operation)
  );
}

function successKeys(operation: Operation): string[] {
  return Object.keys(operation.responses)
    .filter((k) => /^2\d\d$/.test(k))
    .sort();
}

function declaresContent(operation: Operation, key: string): boolean {
  const content = operation.responses[key]?.value.content;
  return isRecord(content) && Object.keys(content).length > 0;
}

function isEmptyBody(body: ParsedBody): boolean {
  if (body.kind !== 'parsed') return true;
  return body.empty ?? isEmptyValue(body.value);
}
