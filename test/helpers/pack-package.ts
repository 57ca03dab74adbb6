/**
 * This package packed as users get it (`npm pack`, whose prepack builds dist/), from a copy of
 * the working tree, without touching the repository's dist/; and the helpers the tests that
 * install it share.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sharedFolder } from './shared-folder.js';
import { sh } from './shell.js';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Copies the repository as git sees it (tracked files and untracked ones not ignored, as they
 * are in the working tree) into `dest`, with node_modules linked: a clean checkout of what would
 * be committed, without its build outputs or anything git ignores.
 */
export async function copyWorkingTree(dest: string): Promise<void> {
  const { stdout } = await run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  for (const file of stdout.split('\0').filter(Boolean)) {
    await mkdir(path.dirname(path.join(dest, file)), { recursive: true });
    await copyFile(path.join(ROOT, file), path.join(dest, file)).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // deleted in the working tree
      },
    );
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

export interface PackedPackage {
  /** The repository copy it was packed from, with the dist/ the pack built. */
  source: string;
  tarball: string;
  /** Its package.json. */
  manifest: Record<string, unknown> & {
    bin?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  files: string[];
  unpackedSize: number;
}

/**
 * This package as `npm pack` makes it (its prepack builds dist/), from a copy of the working
 * tree (copyWorkingTree): packed once per test run and shared by the test files that install it.
 */
export async function packedPackage(): Promise<PackedPackage> {
  const dir = await sharedFolder('packed', async (staging) => {
    const source = path.join(staging, 'source');
    await copyWorkingTree(source);
    // npm pack's prepack script builds dist/ and prints to the same stdout, before npm's JSON.
    const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', staging], source, {
      timeout: 900_000, // a build and its type declarations, on a machine that may be busy
    });
    const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as [
      { filename: string; files: { path: string }[]; unpackedSize: number },
    ];
    await writeFile(
      path.join(staging, 'packed.json'),
      JSON.stringify({
        filename: packed.filename,
        files: packed.files.map((f) => f.path).sort(),
        unpackedSize: packed.unpackedSize,
      }),
    );
  });
  const { filename, files, unpackedSize } = JSON.parse(
    await readFile(path.join(dir, 'packed.json'), 'utf8'),
  ) as { filename: string; files: string[]; unpackedSize: number };
  const source = path.join(dir, 'source');
  const manifest = JSON.parse(await readFile(path.join(source, 'package.json'), 'utf8'));
  return { source, tarball: path.join(dir, filename), manifest, files, unpackedSize };
}
