import { listOperations } from './operations.js';
import type { OpenApiDocument } from './load-spec.js';
import { escapeSegment, isRecord, resolve } from './spec-pointer.js';

/**
 * A `oneOf` whose branches a body cannot be told apart by: a body one branch describes is valid
 * for another, so "exactly one branch matches" cannot hold for it (older versions of Dwolla's
 * spec answer a customer as one of five customer schemas that all accept the same object).
 */
export type OverlappingOneOf = {
  /** Where the `oneOf` is, in the spec as loaded (`#/components/schemas/Customer`). */
  pointer: string;
  /** The operations whose request or response bodies hold it (`getCustomer 200`,
   * `updateCustomer request`). */
  operations: string[];
  /** Each branch's name: the schema it refers to, else `#<index>`. */
  branches: string[];
  /** The pairs that overlap: a body of the first is valid for the second. */
  overlaps: [string, string][];
  /** The OpenAPI discriminator's property name, when the `oneOf` has one. */
  discriminator?: string;
};

/**
 * The rule for an overlapping `oneOf`, applied by the emulator (to what it answers) and by the
 * contract suite (to what it accepts): a body must match at least one branch (`anyOf`), and
 * where the `oneOf` has a discriminator, a branch its discriminator value names (the mapping's
 * key, else the branch schema's name). A `oneOf` whose branches can be told apart keeps plain
 * JSON Schema `oneOf`: exactly one branch.
 */
export const OVERLAP_RULE =
  'a body must match at least one branch (anyOf), one its discriminator value names where the oneOf has a discriminator';

/** Depth to which property schemas are compared (Dwolla's bodies nest a few levels). */
const MAX_DEPTH = 6;

type Node = Record<string, unknown>;
/** What a schema says about the values it accepts, as far as telling branches apart goes. */
type Facts = {
  types?: Set<string>;
  values?: unknown[];
  properties: Map<string, unknown>;
  required: Set<string>;
  /** `additionalProperties: false`: only the declared properties. */
  closed: boolean;
  /** Declares no property at all: any may appear. */
  open: boolean;
};

/**
 * Every `oneOf` that an operation's request or response body holds and whose branches overlap:
 * for two branches A and B, a body of A — the properties A requires, and those B requires that A
 * declares, each with a value both allow — is valid for B too. Branches are told apart when B
 * requires a property A does not declare, when B has `additionalProperties: false` and A requires
 * a property B does not declare, when a property both need has values no schema of the two share
 * (disjoint `const`/`enum` or `type`), or when their types differ. Computed from the spec alone,
 * without a validator, so it costs a walk of the document.
 */
export function findOverlappingOneOfs(doc: OpenApiDocument): OverlappingOneOf[] {
  const reachedBy = new Map<string, Set<string>>();
  for (const operation of listOperations(doc)) {
    for (const at of Object.values(operation.requestBody?.content ?? {})) {
      if (at) collectOneOfs(doc, { $ref: at }, at, `${operation.operationId} request`, reachedBy);
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      const content = isRecord(response.value.content) ? response.value.content : {};
      for (const [type, media] of Object.entries(content)) {
        if (!isRecord(media) || media.schema === undefined) continue;
        const at = `${response.at}/content/${escapeSegment(type)}/schema`;
        collectOneOfs(doc, media.schema, at, `${operation.operationId} ${status}`, reachedBy);
      }
    }
  }

  const found: OverlappingOneOf[] = [];
  for (const [pointer, operations] of reachedBy) {
    const node = resolve(doc, { $ref: pointer }, pointer)!.value;
    const branches = (node.oneOf as unknown[]).map((branch, i) => ({
      name: branchName(branch, i),
      facts: factsOf(doc, branch, `${pointer}/oneOf/${i}`),
    }));
    const overlaps: [string, string][] = [];
    for (const a of branches) {
      for (const b of branches) {
        if (a !== b && describedBodyFits(doc, a.facts, b.facts, 0)) overlaps.push([a.name, b.name]);
      }
    }
    if (overlaps.length === 0) continue;
    const discriminator = isRecord(node.discriminator)
      ? node.discriminator.propertyName
      : undefined;
    found.push({
      pointer,
      operations: [...operations],
      branches: branches.map((b) => b.name),
      overlaps,
      ...(typeof discriminator === 'string' ? { discriminator } : {}),
    });
  }
  return found;
}

/**
 * A copy of the document in which each overlapping `oneOf` follows {@link OVERLAP_RULE}: it
 * becomes an `anyOf`, each of whose branches, where the `oneOf` has a discriminator, also requires
 * the discriminator property to hold the branch's value. Returns the document itself when there
 * is nothing to relax.
 */
export function relaxOverlappingOneOfs(
  doc: OpenApiDocument,
  overlapping: readonly Pick<OverlappingOneOf, 'pointer'>[],
): OpenApiDocument {
  if (overlapping.length === 0) return doc;
  const copy = structuredClone(doc);
  for (const { pointer } of overlapping) {
    const node = resolve(copy, { $ref: pointer }, pointer)?.value;
    if (!node || !Array.isArray(node.oneOf)) continue;
    const keys = discriminatorKeys(node);
    node.anyOf = node.oneOf.map((branch, i) => {
      const key = keys?.values[i];
      if (key === undefined) return branch;
      const named = {
        required: [keys!.property],
        properties: { [keys!.property]: { const: key } },
      };
      return { allOf: [branch, named] };
    });
    delete node.oneOf;
  }
  return copy;
}

/** One line per overlapping `oneOf`, for a report: where, for which operations, which branches. */
export function describeOverlap(o: OverlappingOneOf): string {
  const names = [...new Set(o.overlaps.flat())];
  const by = o.discriminator ? `, discriminator ${o.discriminator}` : '';
  const what = `${names.length} of its ${o.branches.length} oneOf branches overlap`;
  return `${o.operations.join(', ')}: ${o.pointer}: ${what} (${names.join(', ')}${by})`;
}

/** Records `oneOf` pointers reachable from a schema, following `$ref`s once each. */
function collectOneOfs(
  doc: OpenApiDocument,
  schema: unknown,
  at: string,
  label: string,
  reachedBy: Map<string, Set<string>>,
  seen = new Set<string>(),
): void {
  const node = resolve(doc, schema, at);
  if (!node || seen.has(node.at)) return;
  seen.add(node.at);
  const { value, at: here } = node;
  if (Array.isArray(value.oneOf) && value.oneOf.length > 1) {
    if (!reachedBy.has(here)) reachedBy.set(here, new Set());
    reachedBy.get(here)!.add(label);
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
    const list = value[keyword];
    if (Array.isArray(list)) {
      list.forEach((item, i) =>
        collectOneOfs(doc, item, `${here}/${keyword}/${i}`, label, reachedBy, seen),
      );
    }
  }
  for (const keyword of ['properties', 'patternProperties']) {
    const map = value[keyword];
    for (const [name, item] of Object.entries(isRecord(map) ? map : {})) {
      collectOneOfs(doc, item, `${here}/${keyword}/${escapeSegment(name)}`, label, reachedBy, seen);
    }
  }
  for (const keyword of ['items', 'additionalProperties', 'not']) {
    if (isRecord(value[keyword])) {
      collectOneOfs(doc, value[keyword], `${here}/${keyword}`, label, reachedBy, seen);
    }
  }
}

function branchName(branch: unknown, index: number): string {
  const ref = isRecord(branch) && typeof branch.$ref === 'string' ? branch.$ref : undefined;
  return ref ? decodeURIComponent(ref.split('/').pop()!) : `#${index}`;
}

/** The discriminator property and each branch's value for it (the mapping's key that refers to
 * the branch, else the branch schema's name), or undefined without a discriminator. */
function discriminatorKeys(
  node: Node,
): { property: string; values: (string | undefined)[] } | undefined {
  const discriminator = isRecord(node.discriminator) ? node.discriminator : undefined;
  const property = discriminator?.propertyName;
  if (typeof property !== 'string' || !Array.isArray(node.oneOf)) return undefined;
  const mapping = isRecord(discriminator!.mapping) ? discriminator!.mapping : {};
  const values = node.oneOf.map((branch) => {
    const ref = isRecord(branch) && typeof branch.$ref === 'string' ? branch.$ref : undefined;
    if (!ref) return undefined;
    const mapped = Object.entries(mapping).find(([, target]) => target === ref)?.[0];
    return mapped ?? decodeURIComponent(ref.split('/').pop()!);
  });
  return { property, values };
}

/** Facts already read, by document and schema pointer (a oneOf of 70 branches is 4,830 pairs). */
const known = new WeakMap<OpenApiDocument, Map<string, Facts>>();

/** The facts of a schema, through `$ref`s and `allOf`. */
function factsOf(doc: OpenApiDocument, schema: unknown, at: string, depth = 0): Facts {
  const facts: Facts = { properties: new Map(), required: new Set(), closed: false, open: true };
  const node = resolve(doc, schema, at);
  if (!node || depth > MAX_DEPTH) return facts;
  const { value, at: here } = node;
  let cache = known.get(doc);
  if (!cache) known.set(doc, (cache = new Map()));
  const cached = cache.get(here);
  if (cached) return cached;
  cache.set(here, facts);
  const types =
    typeof value.type === 'string'
      ? [value.type]
      : Array.isArray(value.type)
        ? value.type
        : undefined;
  if (types) facts.types = new Set(types.map(String));
  if ('const' in value) facts.values = [value.const];
  else if (Array.isArray(value.enum)) facts.values = [...value.enum];
  const props = isRecord(value.properties) ? value.properties : {};
  for (const [name, item] of Object.entries(props)) {
    facts.properties.set(name, { schema: item, at: `${here}/properties/${escapeSegment(name)}` });
  }
  if (Array.isArray(value.required)) {
    for (const name of value.required) if (typeof name === 'string') facts.required.add(name);
  }
  facts.closed = value.additionalProperties === false;
  if (Array.isArray(value.allOf)) {
    value.allOf.forEach((part, i) => {
      const more = factsOf(doc, part, `${here}/allOf/${i}`, depth + 1);
      if (more.types) facts.types = facts.types ? intersect(facts.types, more.types) : more.types;
      if (more.values)
        facts.values = facts.values
          ? facts.values.filter((v) => more.values!.some((w) => same(v, w)))
          : more.values;
      for (const [name, item] of more.properties) facts.properties.set(name, item);
      for (const name of more.required) facts.required.add(name);
      facts.closed ||= more.closed;
    });
  }
  facts.open = facts.properties.size === 0;
  return facts;
}

/**
 * Whether a body that `a` describes — the properties it requires and those `b` requires that it
 * declares, each with a value both schemas allow — is valid for `b`.
 */
function describedBodyFits(doc: OpenApiDocument, a: Facts, b: Facts, depth: number): boolean {
  if (!valuesCanMeet(a, b)) return false;
  if (!couldBeObject(a) || !couldBeObject(b)) return true;
  const present = new Set(a.required);
  for (const name of b.required) {
    if (!a.open && !a.properties.has(name)) return false; // b needs what a never holds
    present.add(name);
  }
  for (const name of present) {
    if (b.closed && !b.properties.has(name)) return false; // a needs what b forbids
    const ours = a.properties.get(name) as { schema: unknown; at: string } | undefined;
    const theirs = b.properties.get(name) as { schema: unknown; at: string } | undefined;
    if (!ours || !theirs || depth >= MAX_DEPTH) continue;
    const x = factsOf(doc, ours.schema, ours.at);
    const y = factsOf(doc, theirs.schema, theirs.at);
    if (!describedBodyFits(doc, x, y, depth + 1)) return false;
  }
  return true;
}

/** Whether some value has a type both allow and a `const`/`enum` value both allow. */
function valuesCanMeet(a: Facts, b: Facts): boolean {
  if (a.types && b.types && intersect(a.types, b.types).size === 0) return false;
  if (a.values && b.values) return a.values.some((v) => b.values!.some((w) => same(v, w)));
  const values = a.values ?? b.values;
  const types = a.values ? b.types : a.types;
  return (
    !values ||
    !types ||
    values.some((v) => types.has(typeOf(v)) || (types.has('number') && typeOf(v) === 'integer'))
  );
}

const couldBeObject = (f: Facts) => !f.types || f.types.has('object');

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set([...a].filter((t) => b.has(t)));
  // An integer is a number.
  if (a.has('integer') && b.has('number')) out.add('integer');
  if (b.has('integer') && a.has('number')) out.add('integer');
  return out;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
