import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runContract } from '../../contract/run-contract.js';
import { runScript } from '../helpers/run-script.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';

const CONTRACT = 'contract/cli.ts';
const lastLine = (text: string) => text.trim().split('\n').pop();
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** How many operations a spec file declares, read from the file (never hard-coded). */
function operationCount(file: string): number {
  const doc = parse(readFileSync(file, 'utf8')) as { paths: Record<string, object> };
  return Object.values(doc.paths).reduce(
    (n, item) => n + Object.keys(item).filter((key) => METHODS.has(key)).length,
    0,
  );
}

describe('npm run contract', () => {
  it('passes every operation of openapi/dwolla.yaml', async () => {
    const result = await runScript(CONTRACT, ['--spec', 'openapi/dwolla.yaml']);
    expect(result.stderr).toBe('');
    expect(lastLine(result.stdout)).toBe(
      `${operationCount('openapi/dwolla.yaml')} passed, 0 failed`,
    );
    expect(result.code).toBe(0);
  });

  // Generous timeouts: the machine running the tests may be busy (alone, it takes ~15 s).
  it.skipIf(!HAS_UPSTREAM_SPEC)(
    "passes every operation of Dwolla's full spec",
    { timeout: 300_000 },
    async () => {
      const result = await runScript(CONTRACT, ['--spec', UPSTREAM_SPEC]);
      expect(result.stdout).not.toContain('FAIL');
      expect(lastLine(result.stdout)).toBe(`${operationCount(UPSTREAM_SPEC)} passed, 0 failed`);
      expect(result.code).toBe(0);
    },
  );

  it('rejects a missing --spec with usage and exit 2', async () => {
    const result = await runScript(CONTRACT, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run contract -- --spec');
  });

  it('exits 1 naming the file when the spec cannot be read', async () => {
    const result = await runScript(CONTRACT, ['--spec', 'openapi/missing.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('openapi/missing.yaml: cannot read the spec (ENOENT)');
  });
});

describe('a request broken on purpose', () => {
  it('fails the token operation when its body loses grant_type', async () => {
    const { results } = await runContract({
      spec: 'openapi/dwolla.yaml',
      tamper: (_, request) => ({ ...request, body: {} }),
    });
    const token = results.find((r) => r.method === 'post' && r.path === '/token');
    const problems = token!.problems;
    expect(problems).toContain('request body /: A request body is required.');
    expect(problems.join('\n')).toMatch(/^answered 400: /m);
  });

  it.skipIf(!HAS_UPSTREAM_SPEC)(
    'reports only the operation whose body misses a required field',
    { timeout: 300_000 },
    async () => {
      const { results } = await runContract({
        spec: UPSTREAM_SPEC,
        tamper: (operationId, request) => {
          if (operationId !== 'createWebhookSubscription') return request;
          const { url: _, ...body } = request.body as Record<string, unknown>;
          return { ...request, body };
        },
      });
      const failed = results.filter((r) => r.problems.length > 0);
      expect(failed.map((r) => r.operationId)).toEqual(['createWebhookSubscription']);
      expect(failed[0]!.problems).toContain('request body /url: url is required.');
    },
  );
});
