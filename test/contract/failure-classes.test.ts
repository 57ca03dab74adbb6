import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { makeTempDir } from '../../scripts/codegen.js';
import { runScript } from '../helpers/run-script.js';
import { variantSpec, type SpecVariant } from '../helpers/variant-spec.js';

const CONTRACT = 'contract/cli.ts';
const lastLine = (text: string) => text.trim().split('\n').pop();
let scratch: string;

beforeAll(async () => {
  scratch = await makeTempDir('dwolla-failure-classes-');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Operations in a spec object, counted from the spec itself. */
const operationCount = (doc: { paths: Record<string, object> }) =>
  Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);

// More variants of each (OAuth2 or empty security, cycles of 2 and 3, kebab-case) are in
// the property test. Each shape was seen on a real version of Dwolla's spec and failed `npm run contract` before.
const classes: Array<[string, SpecVariant]> = [
  ['the token operation declares no security (inherits OAuth2)', { tokenSecurity: 'absent' }],
  ['a schema whose _embedded items $ref itself', { cycle: 1 }],
  ['a GET that declares a request body', { getBody: true }],
  ['PascalCase operationIds', { operationId: (id) => id[0]!.toUpperCase() + id.slice(1) }],
];

describe('npm run contract on the shapes real Dwolla spec versions have', () => {
  it.each(classes)(
    'passes every operation when %s',
    { timeout: 300_000 },
    async (name, variant) => {
      const doc = variantSpec(variant);
      const file = join(scratch, `${name.replace(/\W+/g, '-')}.yaml`);
      await writeFile(file, stringify(doc));
      const result = await runScript(CONTRACT, ['--spec', file]);
      expect(result.stdout).not.toContain('FAIL');
      expect(lastLine(result.stdout)).toBe(`${operationCount(doc)} passed, 0 failed`);
      expect(result.code).toBe(0);
    },
  );
});
