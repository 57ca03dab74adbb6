/**
 * The names @hey-api/sdk gives generated functions, derived with the generator's own casing
 * function (so the spec fixes, the contract suite and the generated code agree on every name).
 */
import { utils } from '@hey-api/openapi-ts';

/** Anything that cannot stand in a JavaScript identifier is a word separator. */
const NOT_IDENTIFIER = /[^$\u200c\u200d\p{ID_Continue}]/gu;

/** camelCase, repeated until stable: the generator re-cases what it is given (`getAB` → `getAb`). */
function camelCase(text: string): string {
  let name = text.replace(NOT_IDENTIFIER, '-');
  for (let i = 0; i < 5; i++) {
    const next = utils.toCase(name, 'camelCase');
    if (next === name) break;
    name = next;
  }
  return name;
}

/**
 * The function name the generator exports for an operationId (`ListAccountMassPayments` →
 * `listAccountMassPayments`, `get-customer` → `getCustomer`), before its reserved-word suffix;
 * undefined when nothing of it can name a function (e.g. `---`).
 */
export function functionName(operationId: string): string | undefined {
  const name = camelCase(operationId);
  if (name === '') return undefined;
  return /^\p{ID_Start}/u.test(name) ? name : camelCase(`operation-${name}`);
}

/** The name the generator gives an operation without an operationId (`GET /a/{id}` → `getAById`). */
export function functionNameFromRoute(method: string, path: string): string {
  return camelCase(`${method}-${path.replace(/{(.*?)}/g, 'by-$1').replace(/[/:+]/g, '-')}`);
}
