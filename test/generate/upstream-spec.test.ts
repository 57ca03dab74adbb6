import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dwollaSpecCopy } from '../helpers/dwolla-spec-copy.js';
import type { ScriptResult } from '../helpers/run-script.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';

// Dwolla's full spec is test data: it is generated in a temporary copy of the repository (shared
// with test/generate/replace-spec, whose `tsc --noEmit` there type-checks this output under the
// project's compiler settings), never into the repository.
describe.skipIf(!HAS_UPSTREAM_SPEC)("Dwolla's full upstream spec", () => {
  let output: string;
  let generated: ScriptResult;

  beforeAll(async () => {
    const shared = await dwollaSpecCopy();
    generated = shared.generated;
    output = join(shared.copy, 'src/generated');
  }, 600_000);

  it('generates, reporting each spec fix with what it changed', () => {
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain(
      'spec fix define-basic-auth-scheme: defined securitySchemes.basicAuth (HTTP Basic), named by 1 operation(s)',
    );
    expect(generated.stdout).toContain(
      'spec fix drop-accept-header-parameter: dropped the Accept header parameter from 80 operation(s)',
    );
    expect(generated.stdout).toContain(
      'spec fix rename-reserved-operation-ids: renamed 1 operationId(s) that are JavaScript reserved words',
    );
  });

  it('exports one function per operation, named by its (fixed) operationId', async () => {
    const spec = parse(await readFile(UPSTREAM_SPEC, 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operationIds = Object.values(spec.paths)
      .flatMap((item) =>
        Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])),
      )
      .map((id) => (id === 'delete' ? 'deleteWebhookSubscription' : id));
    expect(operationIds).toHaveLength(82);
    const sdk = await readFile(join(output, 'sdk.gen.ts'), 'utf8');
    const exported = [...sdk.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
    expect(exported.sort()).toEqual([...operationIds].sort());
  });

  it('carries the fixes into the code: Basic security on /token, no Accept parameter anywhere', async () => {
    const sdk = await readFile(join(output, 'sdk.gen.ts'), 'utf8');
    const token = sdk.slice(sdk.indexOf('export const createApplicationAccessToken'));
    expect(token.slice(0, token.indexOf('});'))).toContain(
      "security: [{ scheme: 'basic', type: 'http' }]",
    );
    const types = await readFile(join(output, 'types.gen.ts'), 'utf8');
    expect(types).not.toMatch(/Accept\??:/);
    expect(await readFile(join(output, 'client.gen.ts'), 'utf8')).not.toContain('api.dwolla.com');
  });
});
