import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';

/** A spec file that cannot be used: unreadable, not YAML, or not an OpenAPI 3.x document. */
export class SpecError extends Error {
  override name = 'SpecError';
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, unknown>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses YAML (or JSON) text and checks that it is an OpenAPI 3.x document with `paths`. */
export function parseSpec(text: string, file: string): OpenApiDocument {
  const doc = parseDocument(text, { uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new SpecError(`${file}: invalid YAML${where}: ${reason}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (!isObject(value) || typeof value.openapi !== 'string' || !/^3\.\d+/.test(value.openapi)) {
    throw new SpecError(`${file}: not an OpenAPI 3.x document (no "openapi: 3.x" field)`);
  }
  if (!isObject(value.paths)) {
    throw new SpecError(`${file}: not an OpenAPI 3.x document with paths (no "paths" object)`);
  }
  return value as OpenApiDocument;
}

/** Reads and parses a spec file; every failure is a SpecError naming the file. */
export async function loadSpec(file: string): Promise<OpenApiDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SpecError(`${file}: cannot read the spec (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseSpec(text, file);
}
