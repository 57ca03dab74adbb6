/**
 * The contract suite's own judge of response bodies: a JSON Schema 2020-12 validator (ajv, with
 * ajv-formats) compiled here, straight from the document it is given, with none of the
 * emulator's checking code. run-contract.ts gives it the spec as loaded with one rule applied
 * (src/emulator/README.md, "Overlapping oneOf branches"): a oneOf whose branches overlap (a spec
 * defect, printed as `relaxed (spec defect): …`) accepts a body matching at least one branch
 * (the one its discriminator value names, if it has one); every other oneOf, exactly one.
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
