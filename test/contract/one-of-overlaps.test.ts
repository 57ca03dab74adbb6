import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createOracle } from '../../contract/oracle.js';
import { runContract } from '../../contract/run-contract.js';
import { makeTempDir } from '../../scripts/codegen.js';
import {
  findOverlappingOneOfs,
  relaxOverlappingOneOfs,
} from '../../src/emulator/spec/one-of-overlaps.js';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';
import { api, emulator, getToken } from '../emulator/helpers.js';
import { runScript } from '../helpers/run-script.js';
import { variantSpec } from '../helpers/variant-spec.js';

const CONTRACT = 'contract/cli.ts';
const ANY = '#/components/schemas/CustomerAny';
const EXACTLY_ONE = '/ must match exactly one schema in oneOf';

let scratch: string;
beforeAll(async () => {
  scratch = await makeTempDir('dwolla-overlaps-');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** How the branches of a `oneOf` of customer kinds differ: not at all (`none`), or by a property
 * each requires, by that and `additionalProperties: false`, or by a `const` each requires. */
type Tell = 'none' | 'required' | 'closed' | 'const';

/** A spec whose GET /customers/{id} answers a oneOf of `branches` customer kinds. */
function kindsSpec(branches: number, tell: Tell, discriminator: boolean): OpenApiDocument {
  const doc = variantSpec({ overlap: { branches, discriminator } });
  const schemas = doc.components.schemas as Record<string, Record<string, unknown>>;
  for (let i = 0; i < branches; i++) {
    const kind = schemas[`CustomerKind${i}`]!;
    const properties = kind.properties as Record<string, object>;
    if (tell === 'required' || tell === 'closed') {
      properties[`kind${i}`] = { type: 'string' };
      kind.required = [`kind${i}`];
    }
    if (tell === 'closed') kind.additionalProperties = false;
    if (tell === 'const') {
      properties.kind = { const: i };
      kind.required = ['kind'];
    }
  }
  return doc as unknown as OpenApiDocument;
}

/** The body of the first kind: what it requires, and the name its discriminator gives it. */
function firstKindBody(tell: Tell, discriminator: boolean): Record<string, unknown> {
  return {
    id: 'c-1',
    ...(tell === 'required' || tell === 'closed' ? { kind0: 'x' } : {}),
    ...(tell === 'const' ? { kind: 0 } : {}),
    ...(discriminator ? { type: 'kind-0' } : {}),
  };
}

describe('oneOf branches that overlap, found when the spec is loaded (property)', () => {
  it('reports exactly the oneOfs a body of one branch passes another of, judged by plain ajv', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom<Tell>('none', 'required', 'closed', 'const'),
        fc.boolean(),
        (branches, tell, discriminator) => {
          const doc = kindsSpec(branches, tell, discriminator);
          const found = findOverlappingOneOfs(doc);
          // The independent judge: the contract suite's plain JSON Schema validator.
          const plain = createOracle(doc);
          const body = firstKindBody(tell, discriminator);
          const kinds = Array.from({ length: branches }, (_, i) => `CustomerKind${i}`);
          const passes = kinds.filter((k) => plain(`#/components/schemas/${k}`, body).length === 0);
          expect(passes[0]).toBe('CustomerKind0');
          if (tell !== 'none') {
            expect(passes).toEqual(['CustomerKind0']);
            expect(found).toEqual([]);
            expect(relaxOverlappingOneOfs(doc, found)).toBe(doc);
            return;
          }
          expect(passes).toEqual(kinds);
          expect(found).toEqual([
            {
              pointer: ANY,
              operations: ['getCustomer 200'],
              branches: kinds,
              overlaps: kinds.flatMap((a) => kinds.filter((b) => b !== a).map((b) => [a, b])),
              ...(discriminator ? { discriminator: 'type' } : {}),
            },
          ]);
          // Before the rule, no body can pass; under it, the body passes, and with a
          // discriminator only when its value names a branch.
          expect(plain(ANY, body)).toContain(EXACTLY_ONE);
          const relaxed = createOracle(relaxOverlappingOneOfs(doc, found));
          expect(relaxed(ANY, body)).toEqual([]);
          if (discriminator) expect(relaxed(ANY, { ...body, type: 'kind-x' })).not.toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('npm run contract on a spec whose oneOf branches overlap', () => {
  it(
    'fails without the rule (exactly one branch); passes with it and prints the relaxed pointer',
    { timeout: 300_000 },
    async () => {
      for (const discriminator of [false, true]) {
        const doc = kindsSpec(3, 'none', discriminator);
        const file = join(scratch, `overlap-${discriminator}.yaml`);
        await writeFile(file, stringify(doc));

        // What the suite judged before the rule: the emulator's answer, by plain JSON Schema.
        const emu = await emulator({ spec: file, state: false });
        const response = await api(emu.url, await getToken(emu.url), '/customers/c-1');
        expect(response.status).toBe(200);
        const answered = await response.json();
        expect(createOracle(doc)(ANY, answered)).toContain(EXACTLY_ONE);
        if (discriminator) expect(answered.type).toMatch(/^kind-[012]$/);
        expect(emu.overlappingOneOfs.map((o) => o.pointer)).toEqual([ANY]);

        const result = await runScript(CONTRACT, ['--spec', file]);
        expect(result.stdout).not.toContain('FAIL');
        expect(result.stdout).toContain(
          `relaxed (spec defect): getCustomer 200: ${ANY}: 3 of its 3 oneOf branches overlap (CustomerKind0, CustomerKind1, CustomerKind2${discriminator ? ', discriminator type' : ''})`,
        );
        expect(result.stdout).toContain('checked as: a body must match at least one branch');
        expect(result.stdout.trim().split('\n').pop()).toMatch(/^\d+ passed, 0 failed$/);
        expect(result.code).toBe(0);
      }
    },
  );

  it(
    'keeps the strict check where the branches are distinct: a body matching two fails',
    { timeout: 300_000 },
    async () => {
      const file = join(scratch, 'distinct.yaml');
      await writeFile(file, stringify(kindsSpec(2, 'required', false)));
      const { results, relaxed } = await runContract({
        spec: file,
        breakResponse: (id) =>
          id === 'getCustomer' ? { id: 'c-1', kind0: 'x', kind1: 'y' } : undefined,
      });
      expect(relaxed).toEqual([]);
      const failed = results.filter((r) => r.problems.length > 0);
      expect(failed.map((r) => r.operationId)).toEqual(['getCustomer']);
      expect(failed[0]!.problems).toContain(`response body ${EXACTLY_ONE}`);
    },
  );
});
