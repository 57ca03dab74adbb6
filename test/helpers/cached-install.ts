/**
 * npm packages the tests need beside the project's own (other generator releases, other
 * compilers, other Node binaries), installed once into node_modules/.cache/dwolla-tests/<name>
 * and reused by later runs (a clean clone, as in CI, installs them on first use).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildOnce } from './build-once.js';
import { cleanEnv } from './shell.js';

export const CACHE = resolve('node_modules/.cache/dwolla-tests');

/**
 * The folder holding `packages` (npm specs, e.g. `typescript@7` or `a@npm:b@1`) installed with
 * npm, as `name` (reinstalled when the list changes). Resolves once installed.
 */
export function cachedInstall(name: string, packages: readonly string[]): Promise<string> {
  const list = JSON.stringify([...packages].sort());
  return buildOnce(
    join(CACHE, name),
    async (staging) => {
      await writeFile(join(staging, 'package.json'), JSON.stringify({ name, private: true }));
      await promisify(execFile)(
        'npm',
        ['install', ...packages, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        { cwd: staging, env: cleanEnv, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      );
    },
    list,
  );
}

/**
 * A Node binary of `major` (the npm registry's `node` package: node_modules/.bin/node), or this
 * process's own Node when it is that major. .ci/run runs the suites on the same binaries.
 */
export async function nodeBinary(major: number): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const dir = await cachedInstall(`node-${major}`, [`node@${major}`]);
  return join(dir, 'node_modules/.bin/node');
}
