import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import { runNode, runScript } from '../helpers/run-script.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';

/**
 * The user's flow: `cp <Dwolla's spec> openapi/dwolla.yaml && npm run generate`, then `npm test`
 * stays green. Done in a copy of the repo (its files as git sees them, node_modules linked).
 * Inside, it runs the parts of `npm test` that read the spec or the generated code: prettier,
 * tsc, `generate --check`, and the emulator's tests on its default spec (the whole suite runs on
 * the repo itself; the upstream contract run is test/contract's).
 */
describe.skipIf(!HAS_UPSTREAM_SPEC)("replacing openapi/dwolla.yaml with Dwolla's spec", () => {
  let copy: string;
  const env = { ...process.env, DWOLLA_UPSTREAM_SPEC: UPSTREAM_SPEC };
  const bin = (path: string) => join(copy, 'node_modules', path);
  const inCopy = (args: string[]) => runNode(args, { ...env, NO_COLOR: '1' }, copy);

  beforeAll(async () => {
    copy = await makeTempDir('dwolla-replace-spec-');
    const { stdout } = await promisify(execFile)('git', [
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
    ]);
    for (const file of stdout.split('\0').filter(Boolean)) {
      await mkdir(dirname(join(copy, file)), { recursive: true });
      await copyFile(file, join(copy, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // deleted in the working tree
      });
    }
    await symlink(resolve('node_modules'), join(copy, 'node_modules'), 'dir');
    await copyFile(UPSTREAM_SPEC, join(copy, 'openapi/dwolla.yaml'));
  });
  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  // Generous: the machine running the tests may be busy (each step is a few seconds alone).
  const SLOW = 300_000;

  it('npm run generate', { timeout: SLOW }, async () => {
    const generated = await runScript('scripts/generate.ts', [], env, copy);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
  });

  it('prettier --check (the spec is data, not formatted)', { timeout: SLOW }, async () => {
    const prettier = await inCopy([bin('prettier/bin/prettier.cjs'), '--check', '.']);
    expect(prettier.stdout + prettier.stderr).not.toContain('[warn]');
    expect(prettier.code).toBe(0);
  });

  it('tsc --noEmit', { timeout: SLOW }, async () => {
    const tsc = await inCopy([bin('typescript/bin/tsc'), '--noEmit']);
    expect(tsc.stdout).toBe('');
    expect(tsc.code).toBe(0);
  });

  it('npm run generate -- --check', { timeout: SLOW }, async () => {
    const check = await runScript('scripts/generate.ts', ['--check'], env, copy);
    expect(check.stdout).toContain('src/generated is up to date with openapi/dwolla.yaml');
    expect(check.code).toBe(0);
  });

  it('the tests on the default spec', { timeout: SLOW }, async () => {
    const vitest = await inCopy([
      bin('vitest/vitest.mjs'),
      'run',
      'test/emulator/token.test.ts',
      'test/generate/spec-fixes.test.ts',
    ]);
    const output = vitest.stdout + vitest.stderr;
    expect(output).toMatch(/Tests +\d+ passed/);
    expect(output).not.toMatch(/\d+ failed/);
    expect(vitest.code).toBe(0);
  });
});
