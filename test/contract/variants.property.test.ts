import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runContract } from '../../contract/run-contract.js';
import { generateInto, makeTempDir, prepareSpec } from '../../scripts/codegen.js';
import { SpecError } from '../../src/spec/load-spec.js';
import { typecheck } from '../helpers/typecheck.js';
import { variantSpec, type SpecVariant } from '../helpers/variant-spec.js';

const words = (id: string) => id.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
const CASINGS: Record<string, (id: string) => string> = {
  camel: (id) => id,
  Pascal: (id) => id[0]!.toUpperCase() + id.slice(1),
  kebab: (id) => words(id).join('-'),
  snake2: (id) => `${words(id).join('_')}_2`,
  SCREAMING: (id) => words(id).join('_').toUpperCase(),
  dotted: (id) => `v1.${words(id).join('.')}`,
};

const variants = fc.record({
  casing: fc.constantFrom(...Object.keys(CASINGS)),
  cycle: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>,
  tokenSecurity: fc.constantFrom('absent', 'basicAuth', 'oauth2') as fc.Arbitrary<
    SpecVariant['tokenSecurity']
  >,
  getBody: fc.boolean(),
  /** A oneOf of 2-5 customer kinds no body can tell apart (a spec defect the suite relaxes). */
  overlap: fc.option(
    fc.record({ branches: fc.integer({ min: 2, max: 5 }), discriminator: fc.boolean() }),
    { nil: undefined },
  ),
  /** A cycle of bare $refs no TypeScript type can express: must be refused. */
  bareCycle: fc.boolean(),
});

let scratch: string;
beforeAll(async () => {
  scratch = await makeTempDir('dwolla-variants-');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('random variants of a Dwolla-shaped spec (property)', () => {
  // Each run generates, type-checks and runs the contract suite (a few seconds alone): few runs,
  // generous timeout for a busy machine.
  it(
    'generate + type-check + contract pass, or the spec is refused in one line',
    { timeout: 600_000 },
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(variants, async ({ casing, bareCycle, ...variant }) => {
          const doc = variantSpec({ ...variant, operationId: CASINGS[casing] });
          if (bareCycle) {
            Object.assign(doc.components.schemas, {
              Alias: { $ref: '#/components/schemas/Union' },
              Union: { oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/Alias' }] },
            });
          }
          const file = join(scratch, `variant-${++run}.yaml`);
          await writeFile(file, stringify(doc));
          let prepared;
          try {
            prepared = await prepareSpec(file);
          } catch (error) {
            expect(error).toBeInstanceOf(SpecError);
            const message = (error as Error).message;
            expect(message.split('\n')).toHaveLength(1);
            expect(message).toMatch(
              new RegExp(
                `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: schemas (Alias|Union) → `,
              ),
            );
            expect(bareCycle).toBe(true);
            return;
          }
          expect(bareCycle).toBe(false);
          const output = join(scratch, `client-${run}`);
          await generateInto(prepared.doc, output, file);
          await typecheck(output, [join(output, '**/*.ts')]);
          const { results, relaxed } = await runContract({ spec: file });
          expect(results.filter((r) => r.problems.length > 0)).toEqual([]);
          expect(relaxed.map((o) => o.pointer)).toEqual(
            variant.overlap ? ['#/components/schemas/CustomerAny'] : [],
          );
        }),
        { numRuns: 4, endOnFailure: true },
      );
    },
  );
});
