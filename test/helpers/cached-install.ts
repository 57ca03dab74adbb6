/**
 * npm packages the tests need beside the project's own (other generator releases, other
 * compilers, other Node binaries), installed once into node_modules/.cache/dwolla-tests/<name>
 * and reused by later runs (a clean clone, as in CI, installs them on first use). Test files run
 * in parallel: the first one to need a folder installs it under a lock, the others wait for it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { cleanEnv } from './pack-package.js';

export const CACHE = resolve('node_modules/.cache/dwolla-tests');

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The folder holding `packages` (npm specs, e.g. `typescript@7` or `a@npm:b@1`) installed with
 * npm, as `name` (a folder name that changes when the list does). Resolves once installed.
 */
export async function cachedInstall(name: string, packages: readonly string[]): Promise<string> {
  const dir = join(CACHE, name);
  const wanted = JSON.stringify([...packages].sort());
  const done = join(dir, 'installed.json');
  const lock = join(CACHE, `${name}.lock`);
  await mkdir(CACHE, { recursive: true });
  for (;;) {
    if (existsSync(done) && (await readFile(done, 'utf8')) === wanted) return dir;
    try {
      await mkdir(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
      if (holder !== 0 && !isAlive(holder)) await rm(lock, { recursive: true, force: true });
      else await sleep(500);
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      const staging = `${dir}.new-${process.pid}`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      await writeFile(join(staging, 'package.json'), JSON.stringify({ name, private: true }));
      await promisify(execFile)(
        'npm',
        ['install', ...packages, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        { cwd: staging, env: cleanEnv, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      );
      await writeFile(join(staging, 'installed.json'), wanted);
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
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
