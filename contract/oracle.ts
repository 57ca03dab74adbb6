/**
 * The contract suite's own judge of response bodies: a JSON Schema 2020-12 validator (ajv, with
 * ajv-formats) compiled here, straight from the spec as loaded, with none of the emulator's code
 * (its checker reads Dwolla's overlapping oneOfs as anyOf, and picks what it sends with it).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../src/spec/load-spec.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type Oracle = (schemaPointer: string, data: unknown) => string[];

/** Validates data against the schema at a pointer into the spec (`#/paths/~1x/get/...`). */
export function createOracle(doc: OpenApiDocument): Oracle {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addSchema(structuredClone(doc) as object, 'spec', undefined, false);
  const compiled = new Map<string, ValidateFunction>();
  return (pointer, data) => {
    let validate = compiled.get(pointer);
    if (!validate) compiled.set(pointer, (validate = ajv.compile({ $ref: `spec${pointer}` })));
    if (validate(data)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
    );
  };
}
