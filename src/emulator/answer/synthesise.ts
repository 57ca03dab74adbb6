import type { OpenApiDocument } from '../spec/load-spec.js';
import type { SchemaChecker } from '../check/schemas.js';
import { escapeSegment, isRecord, resolve } from '../spec/spec-pointer.js';

/** Deeper than this, optional parts are left out (Dwolla's schemas nest a few levels; some cycle). */
const MAX_DEPTH = 12;
/** Deeper than this nothing is built at all (a cycle of required `$ref`s has no finite value). */
const HARD_DEPTH = 40;
/** Schemas visited per value at most; past it only required parts are built. */
const BUDGET = 2_000;

/**
 * Where a synthesis stands: its depth, the schemas (by pointer) it is inside of, and how many
 * schemas it may still visit. A schema met again inside itself (a `$ref` cycle) is built minimal:
 * required properties only, arrays as short as allowed, so any cycle ends within a few levels.
 */
type Walk = { depth: number; inside: readonly string[]; budget: { left: number } };

/**
 * A small schema-driven value synthesiser for what mock-json-schema gets wrong (it ignores
 * `const`, and picks oneOf branches that match more than one). Every choice is checked with the
 * JSON Schema validator: the first candidate that validates wins. Candidates, in order: the
 * schema's `const`/`enum`, its `example`/`examples`, each `oneOf`/`anyOf` branch, then a value
 * built from its type (all properties, then required ones only).
 */
export function synthesise(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  at: string,
  walk: Walk = { depth: 0, inside: [], budget: { left: BUDGET } },
): unknown {
  const node = resolve(doc, { $ref: at }, at);
  if (!node || walk.depth > HARD_DEPTH) return {};
  const schema = node.value;
  const here = node.at;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  walk.budget.left--;
  const minimal = walk.inside.includes(here) || walk.depth >= MAX_DEPTH || walk.budget.left <= 0;
  const inner: Walk = { ...walk, depth: walk.depth + 1, inside: [...walk.inside, here] };

  const leaf = ['string', 'number', 'integer', 'boolean', 'null'].includes(String(schema.type));
  const choices = ['example', 'examples', 'oneOf', 'anyOf', 'allOf'].some((k) => k in schema);
  if (leaf && !choices) return byType(doc, checker, schema, here, inner, false);

  const candidates: (() => unknown)[] = [];
  if (schema.example !== undefined) candidates.push(() => schema.example);
  if (Array.isArray(schema.examples))
    candidates.push(...schema.examples.map((e: unknown) => () => e));
  for (const keyword of ['oneOf', 'anyOf']) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    branches.forEach((_, i) => {
      candidates.push(() =>
        merge(
          byType(doc, checker, schema, here, inner, false),
          synthesise(doc, checker, `${here}/${keyword}/${i}`, inner),
        ),
      );
    });
  }
  if (!minimal) candidates.push(() => byType(doc, checker, schema, here, inner, false));
  candidates.push(() => byType(doc, checker, schema, here, inner, true));
  let value: unknown;
  for (const candidate of candidates) {
    value = candidate();
    if (checker.check(here, value).length === 0) return value;
  }
  return value;
}

function byType(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  schema: Record<string, unknown>,
  at: string,
  walk: Walk,
  requiredOnly: boolean,
): unknown {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type =
    types.find((t) => t !== 'null' && t !== undefined) ??
    (schema.properties || schema.required || schema.allOf
      ? 'object'
      : schema.items
        ? 'array'
        : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const properties = isRecord(schema.properties) ? schema.properties : {};
      for (const name of Object.keys(properties)) {
        if (requiredOnly && !required.includes(name)) continue;
        out[name] = synthesise(doc, checker, `${at}/properties/${escapeSegment(name)}`, walk);
      }
      for (const name of required) if (!(name in out)) out[name] = 'string';
      if (Array.isArray(schema.allOf)) {
        schema.allOf.forEach((_, i) =>
          Object.assign(out, synthesise(doc, checker, `${at}/allOf/${i}`, walk)),
        );
      }
      return out;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : requiredOnly ? 0 : 1;
      const item = () =>
        schema.items === undefined ? 'string' : synthesise(doc, checker, `${at}/items`, walk);
      return Array.from({ length: count }, item);
    }
    case 'integer':
    case 'number': {
      const min =
        typeof schema.minimum === 'number'
          ? schema.minimum
          : typeof schema.exclusiveMinimum === 'number'
            ? schema.exclusiveMinimum + 1
            : 1;
      const max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
      return Math.min(type === 'integer' ? Math.ceil(min) : min, max);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      return sampleString(schema);
    default:
      return types.includes('null') ? null : {};
  }
}

function sampleString(schema: Record<string, unknown>): string {
  const byFormat: Record<string, string> = {
    'date-time': '2024-01-02T03:04:05.000Z',
    date: '2024-01-02',
    time: '03:04:05Z',
    uri: 'https://example.com/',
    url: 'https://example.com/',
    email: 'jane.doe@example.com',
    uuid: '8f5f4e36-0e0f-4c4c-9a5c-6f6c3b0f3c1d',
    ipv4: '127.0.0.1',
    hostname: 'example.com',
  };
  let value = byFormat[String(schema.format)] ?? 'string';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value.padEnd(min, 'x');
  return value.slice(0, max);
}

function merge(base: unknown, branch: unknown): unknown {
  return isRecord(base) && isRecord(branch) ? { ...base, ...branch } : branch;
}
