/**
 * A folder built once and shared: by every test file of a run (shared-folder.ts: under the
 * run's temporary folder) or by every run (cached-install.ts: under node_modules/.cache). Test files run in parallel processes: the
 * first to need a folder builds it under a lock (a directory holding its pid), the others wait
 * for it; a lock whose process died is taken over.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../../scripts/codegen.js';

/**
 * `dir`, built by `build` into a staging folder that then becomes `dir`, unless it was built
 * before with the same `stamp` (e.g. the list of what it holds). Resolves once it exists.
 */
export async function buildOnce(
  dir: string,
  build: (staging: string) => Promise<void>,
  stamp = '',
): Promise<string> {
  const done = join(dir, '.built');
  const lock = `${dir}.lock`;
  await mkdir(dirname(dir), { recursive: true });
  for (;;) {
    if (existsSync(done) && (await readFile(done, 'utf8')) === stamp) return dir;
    try {
      await mkdir(lock, { recursive: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
      if (holder !== 0 && !isAlive(holder)) await rm(lock, { recursive: true, force: true });
      else await sleep(250);
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      const staging = `${dir}.new-${process.pid}`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      await build(staging);
      await writeFile(join(staging, '.built'), stamp);
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}
