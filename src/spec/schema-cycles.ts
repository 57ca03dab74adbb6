/**
 * `$ref` cycles the generator cannot turn into TypeScript: a cycle that passes through no object
 * property and no array item (a `$ref` to itself, `A → B → A` of bare `$ref`s, an `allOf`,
 * `anyOf` or `oneOf` that contains itself). TypeScript rejects such type aliases ("circularly
 * references itself"), and @hey-api/openapi-ts overflows its stack on some of them.
 */
import { isObject } from '../json.js';
import { pointerTarget, SpecError, type OpenApiDocument } from './load-spec.js';

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'] as const;

/** The local `$ref`s a schema stands for without an object or array in between. */
function bareRefs(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const refs = typeof schema.$ref === 'string' && schema.$ref.startsWith('#') ? [schema.$ref] : [];
  for (const keyword of COMPOSITIONS) {
    const members = schema[keyword];
    if (Array.isArray(members)) refs.push(...members.flatMap(bareRefs));
  }
  return refs;
}

/** Every local `$ref` string in the document. */
function allRefs(doc: unknown): Set<string> {
  const refs = new Set<string>();
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) refs.add(node.$ref);
      stack.push(...Object.values(node));
    }
  }
  return refs;
}

const nameOf = (ref: string) =>
  /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1]?.replaceAll('~1', '/').replaceAll('~0', '~') ??
  ref;

/** The first such cycle, as the schemas it goes through (first one repeated at the end). */
export function inexpressibleCycle(doc: OpenApiDocument): string[] | undefined {
  const edges = new Map<string, string[]>();
  for (const ref of allRefs(doc))
    edges.set(ref, bareRefs(ref.startsWith('#/') ? pointerTarget(doc, ref) : undefined));
  // Depth-first, with an explicit stack (a long chain of $refs must not overflow the call stack).
  const state = new Map<string, 'open' | 'done'>();
  for (const start of [...edges.keys()].sort()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const ref = path[path.length - 1]!;
      const successors = edges.get(ref) ?? [];
      const i = next[next.length - 1]!++;
      if (i >= successors.length) {
        state.set(ref, 'done');
        path.pop();
        next.pop();
        continue;
      }
      const successor = successors[i]!;
      if (state.get(successor) === 'open') {
        return [...path.slice(path.indexOf(successor)), successor].map(nameOf);
      }
      if (!state.has(successor)) {
        state.set(successor, 'open');
        path.push(successor);
        next.push(0);
      }
    }
  }
  return undefined;
}

/** Refuses (SpecError naming `source` and the schemas) a spec with such a cycle. */
export function checkGeneratable(doc: OpenApiDocument, source: string): void {
  const cycle = inexpressibleCycle(doc);
  if (cycle) {
    const shown =
      cycle.length > 10
        ? [...cycle.slice(0, 5), `(${cycle.length - 7} more)`, ...cycle.slice(-2)]
        : cycle;
    throw new SpecError(
      `${source}: schemas ${shown.join(' → ')} form a $ref cycle with no object property or array item in between, which no TypeScript type can express`,
    );
  }
}
