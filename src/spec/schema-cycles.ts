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
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (ref: string): string[] | undefined => {
    if (state.get(ref) === 'done') return undefined;
    if (state.get(ref) === 'open') return [...path.slice(path.indexOf(ref)), ref];
    state.set(ref, 'open');
    path.push(ref);
    for (const next of edges.get(ref) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(ref, 'done');
    return undefined;
  };
  for (const ref of [...edges.keys()].sort()) {
    const cycle = visit(ref);
    if (cycle) return cycle.map(nameOf);
  }
  return undefined;
}

/** Refuses (SpecError naming `source` and the schemas) a spec with such a cycle. */
export function checkGeneratable(doc: OpenApiDocument, source: string): void {
  const cycle = inexpressibleCycle(doc);
  if (cycle) {
    throw new SpecError(
      `${source}: schemas ${cycle.join(' → ')} form a $ref cycle with no object property or array item in between, which no TypeScript type can express`,
    );
  }
}
