import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** A parsed OpenAPI 3.x document, kept as plain JSON data (its `$ref`s unresolved). */
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

/** Where the emulator's default spec lives: the project's own openapi/dwolla.yaml. */
export const DEFAULT_SPEC_PATH = new URL('../../openapi/dwolla.yaml', import.meta.url);

/**
 * Loads a spec from a YAML or JSON file (YAML is a superset of JSON), or takes an already parsed
 * document. Either way the caller gets its own deep copy, so the emulator never mutates input.
 */
export async function loadSpec(
  spec: string | URL | object = DEFAULT_SPEC_PATH,
): Promise<OpenApiDocument> {
  const doc: unknown =
    typeof spec === 'string' || spec instanceof URL
      ? parse(await readFile(spec, 'utf8'), { maxAliasCount: -1 })
      : structuredClone(spec);
  if (!isOpenApiDocument(doc)) {
    throw new Error('The spec is not an OpenAPI 3 document: it needs "openapi" and "paths"');
  }
  return doc;
}

function isOpenApiDocument(doc: unknown): doc is OpenApiDocument {
  if (typeof doc !== 'object' || doc === null) return false;
  const { openapi, paths } = doc as Record<string, unknown>;
  return (
    typeof openapi === 'string' &&
    openapi.startsWith('3.') &&
    typeof paths === 'object' &&
    paths !== null
  );
}
