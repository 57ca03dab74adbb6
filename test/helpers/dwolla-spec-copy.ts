import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyWorkingTree } from './pack-package.js';
import { runScript, type ScriptResult } from './run-script.js';
import { sharedFolder } from './shared-folder.js';
import { UPSTREAM_SPEC } from './upstream-spec.js';

/**
 * What a user does with Dwolla's spec: `cp <Dwolla's spec> openapi/dwolla.yaml && npm run
 * generate`, in a copy of the repository as git sees it (copyWorkingTree, node_modules linked).
 * Done once per test run and shared (shared-folder.ts): test/generate/replace-spec runs the
 * project's checks and spec-dependent tests in it, test/generate/upstream-spec reads what it
 * generated. Dwolla's spec is test data: it and the code generated from it stay in the temporary
 * copy, never in the repository.
 */
export async function dwollaSpecCopy(): Promise<{ copy: string; generated: ScriptResult }> {
  const dir = await sharedFolder('dwolla-spec-copy', async (staging) => {
    const copy = join(staging, 'repo');
    await copyWorkingTree(copy);
    await copyFile(UPSTREAM_SPEC, join(copy, 'openapi/dwolla.yaml'));
    const generated = await runScript('scripts/generate.ts', [], process.env, copy);
    await writeFile(join(staging, 'generated.json'), JSON.stringify(generated));
  });
  const generated = JSON.parse(await readFile(join(dir, 'generated.json'), 'utf8')) as ScriptResult;
  return { copy: join(dir, 'repo'), generated };
}
