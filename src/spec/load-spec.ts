import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as Yaml from 'yaml';
import { isObject } from '../json.js';
import { peer } from '../peers.js';

/** A spec that cannot be used: unreadable, not YAML, or not an OpenAPI 3.x document. */
export class SpecError extends Error {
  override name = 'SpecError';
}

/** A parsed OpenAPI 3.x document, kept as plain JSON data (its `$ref`s unresolved). */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** Reads a local JSON pointer (`#/components/schemas/Customer`) in a document. */
export function pointerTarget(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, key) =>
        isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined,
      doc,
    );
}

/** The first local `$ref` that points at nothing, with where it stands; undefined if all resolve. */
function danglingRef(doc: unknown): { ref: string; at: string } | undefined {
  const stack: Array<[unknown, string]> = [[doc, '#']];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (!isObject(node) && !Array.isArray(node)) continue;
    const { $ref } = node as Record<string, unknown>;
    if (typeof $ref === 'string' && ($ref === '#' || $ref.startsWith('#/'))) {
      if ($ref !== '#' && pointerTarget(doc, $ref) === undefined) return { ref: $ref, at };
    }
    for (const [key, child] of Object.entries(node).reverse()) {
      stack.push([child, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
    }
  }
  return undefined;
}

/**
 * Checks that a parsed value is an OpenAPI 3.x document with `paths` whose local `$ref`s all
 * resolve; `source` names it in the SpecError.
 */
export function checkSpec(value: unknown, source: string): OpenApiDocument {
  if (!isObject(value) || typeof value.openapi !== 'string' || !/^3\.\d+/.test(value.openapi)) {
    throw new SpecError(`${source}: not an OpenAPI 3.x document (no "openapi: 3.x" field)`);
  }
  if (!isObject(value.paths)) {
    throw new SpecError(`${source}: not an OpenAPI 3.x document with paths (no "paths" object)`);
  }
  const dangling = danglingRef(value);
  if (dangling) {
    throw new SpecError(`${source}: $ref "${dangling.ref}" at ${dangling.at} points at nothing`);
  }
  return value as OpenApiDocument;
}

/**
 * Parses YAML (or JSON) text and checks that it is an OpenAPI 3.x document with `paths`. Alias
 * expansion is bounded by the yaml library's own limit (`maxAliasCount`, 100 by default): a
 * "billion laughs" document is refused with the line of its first alias instead of filling
 * memory. (Dwolla's spec uses no aliases.)
 */
export function parseSpec(text: string, file: string): OpenApiDocument {
  // Loaded here, not at import: the entry points that parse specs check their peers first.
  const yaml = peer<typeof Yaml>('yaml');
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { uniqueKeys: true, lineCounter: lines });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new SpecError(`${file}: invalid YAML${where}: ${reason}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let first: Yaml.Alias | undefined;
    yaml.visit(doc, {
      Alias(_, node) {
        first = node;
        return yaml.visit.BREAK;
      },
    });
    const at = first?.range ? lines.linePos(first.range[0]) : undefined;
    const where = at ? ` (first alias *${first!.source} at line ${at.line}, column ${at.col})` : '';
    throw new SpecError(
      `${file}: invalid YAML: its aliases expand beyond the yaml library's limit${where}: ${error.message}`,
    );
  }
  return checkSpec(value, file);
}

/** The largest spec file read (Dwolla's full spec is about 0.6 MB). */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** Reads and parses a spec file; every failure is a SpecError naming the file. */
export async function loadSpec(file: string | URL): Promise<OpenApiDocument> {
  const name = file instanceof URL ? fileURLToPath(file) : file;
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_SPEC_BYTES) {
      throw new SpecError(
        `${name}: the spec is ${size} bytes, over the limit of ${MAX_SPEC_BYTES}`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw new SpecError(`${name}: cannot read the spec (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseSpec(text, name);
}
