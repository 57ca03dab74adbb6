import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { UPSTREAM_SPEC } from './upstream-spec.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const HAL = 'application/vnd.dwolla.v1.hal+json';

/**
 * An oracle independent of the emulator's own checker: Ajv compiled here from the raw YAML of
 * Dwolla's spec, plain JSON Schema (oneOf is oneOf), addressing each operation's response schema
 * by its path in the document.
 */
export function upstreamResponseValidator(): (
  path: string,
  method: string,
  status?: string,
) => ValidateFunction {
  const doc = parse(readFileSync(UPSTREAM_SPEC, 'utf8')) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'dwolla');
  const escape = (s: string) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'));
  return (path, method, status = '200') => {
    const at = ['paths', path, method, 'responses', status, 'content', HAL, 'schema']
      .map(escape)
      .join('/');
    const validate = ajv.getSchema(`dwolla#/${at}`);
    if (!validate) throw new Error(`Dwolla's spec has no ${status} schema for ${method} ${path}`);
    return validate;
  };
}
