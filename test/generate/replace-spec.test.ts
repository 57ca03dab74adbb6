import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dwollaSpecCopy } from '../helpers/dwolla-spec-copy.js';
import { runNode, runScript, type ScriptResult } from '../helpers/run-script.js';
import { PROJECT_TSC } from '../helpers/typecheck.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';

/**
 * The user's flow: `cp <Dwolla's spec> openapi/dwolla.yaml && npm run generate`, then `npm test`
 * stays green. Done in a copy of the repo (its files as git sees them, node_modules linked).
 * Inside, it runs the parts of `npm test` that read the spec or the generated code: prettier,
 * tsc, `generate --check`, and every test file that depends on the spec (specDependentTests).
 */
/**
 * The test files whose outcome depends on openapi/dwolla.yaml, derived from the test files
 * themselves (a new one is included without editing anything here). A file depends on it when it
 * - names an export of the spec's generated operations or types (read from this repo's
 *   src/generated/sdk.gen.ts and types.gen.ts: the founding spec's, which tests were written
 *   against), e.g. `createApplicationAccessToken`, but not the generator's own helper types
 *   (`Options`, `ClientOptions`), which every spec's output has;
 * - mentions `openapi/dwolla.yaml`;
 * - starts the emulator or the contract suite on their default spec (that file): a
 *   `startEmulator(` / `runContract(` call with no `spec` before its first `)`, or their CLIs
 *   (`src/emulator/cli.ts`, `contract/cli.ts`) unless every `runScript(` call in the file passes
 *   `'--spec'`.
 * Left out, because the spec they test is not openapi/dwolla.yaml: files that load Dwolla's spec
 * themselves (test/helpers/upstream-spec.ts: they already run on the spec the copy now has), and
 * test/package (it packs and installs a tarball, minutes) and this file.
 *
 * Not vitest's import graph (`vitest related src/generated/…`): src/index.ts re-exports the
 * generated operations, so every test that imports the client is "related" and the set is the
 * whole suite (over 15 minutes on this busy 2-core machine). The derived set is 9 files and takes
 * about 4 minutes in the copy (load average 5-6), most of it the generator CLI tests, whose every
 * run generates Dwolla's whole spec there.
 */
async function specDependentTests(): Promise<string[]> {
  const exportsOf = async (file: string) =>
    [
      ...(await readFile(file, 'utf8')).matchAll(
        /^export (?:const|type|function|interface) (\w+)/gm,
      ),
    ].map((match) => match[1]!);
  const names = [
    ...(await exportsOf('src/generated/sdk.gen.ts')),
    ...(await exportsOf('src/generated/types.gen.ts')),
  ];
  const helpers = ['Options', 'ClientOptions'];
  const dependent = new RegExp(
    [
      `\\b(?:${names.filter((name) => !helpers.includes(name)).join('|')})\\b`,
      'openapi/dwolla\\.yaml',
      '\\b(?:startEmulator|runContract)\\((?![^)]*spec)',
    ].join('|'),
  );
  const cliOnDefaultSpec = (text: string) => {
    if (!/src\/emulator\/cli\.ts|contract\/cli\.ts/.test(text)) return false;
    const calls = text.split('\n').filter((line) => line.includes('runScript('));
    return calls.length === 0 || !calls.every((line) => line.includes("'--spec'"));
  };
  const ownSpec = /helpers\/upstream-spec\.js/;
  const files = (await readdir('test', { recursive: true }))
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join('test', file).replaceAll('\\', '/'))
    .filter((file) => !file.startsWith('test/package/') && !file.endsWith('/replace-spec.test.ts'))
    .sort();
  const selected: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if ((dependent.test(text) || cliOnDefaultSpec(text)) && !ownSpec.test(text)) {
      selected.push(file);
    }
  }
  return selected;
}

describe.skipIf(!HAS_UPSTREAM_SPEC)("replacing openapi/dwolla.yaml with Dwolla's spec", () => {
  let copy: string;
  let generated: ScriptResult;
  const env = { ...process.env, DWOLLA_UPSTREAM_SPEC: UPSTREAM_SPEC };
  const bin = (path: string) => join(copy, 'node_modules', path);
  const inCopy = (args: string[]) => runNode(args, { ...env, NO_COLOR: '1' }, copy);

  beforeAll(async () => {
    ({ copy, generated } = await dwollaSpecCopy());
  }, 600_000);

  // Generous: the machine running the tests may be busy (each step is a few seconds alone).
  const SLOW = 300_000;

  it('npm run generate', () => {
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
  });

  it('prettier --check (the spec is data, not formatted)', { timeout: SLOW }, async () => {
    const prettier = await inCopy([bin('prettier/bin/prettier.cjs'), '--check', '.']);
    expect(prettier.stdout + prettier.stderr).not.toContain('[warn]');
    expect(prettier.code).toBe(0);
  });

  // Dwolla's whole generated client included, under the project's compiler settings.
  it('tsc --noEmit', { timeout: SLOW }, async () => {
    const tsc = await inCopy([join(copy, PROJECT_TSC), '--noEmit']);
    expect(tsc.stdout).toBe('');
    expect(tsc.code).toBe(0);
  });

  it('npm run generate -- --check', { timeout: SLOW }, async () => {
    const check = await runScript('scripts/generate.ts', ['--check'], env, copy);
    expect(check.stdout).toContain('src/generated is up to date with openapi/dwolla.yaml');
    expect(check.code).toBe(0);
  });

  it('every test file that depends on the spec', { timeout: 2 * SLOW }, async () => {
    const files = await specDependentTests();
    // The derivation finds at least the token, emulator and generator tests.
    expect(files).toEqual(
      expect.arrayContaining([
        'test/auth/token-request.test.ts',
        'test/emulator/token.test.ts',
        'test/generate/generate-cli.test.ts',
      ]),
    );
    const vitest = await inCopy([bin('vitest/vitest.mjs'), 'run', ...files]);
    const output = vitest.stdout + vitest.stderr;
    expect(output).toMatch(new RegExp(`Test Files +${files.length} passed`));
    expect(output).not.toMatch(/\d+ failed/);
    expect(vitest.code).toBe(0);
  });
});
