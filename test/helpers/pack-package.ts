/**
 * Packs this package (`npm pack`, whose prepack builds dist/) from a copy of its sources in a
 * temporary folder, without touching the repository's dist/ (another package
 * test may be building there at the same time).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = ['package.json', 'README.md', 'LICENSE', 'tsup.config.ts', 'tsconfig.json'];
const SOURCE_DIRS = ['openapi', 'src', 'scripts'];

// npm run exports npm_* settings of this project (npm_package_*, lifecycle, prefix…) to its
// children; a temporary project must not inherit them. The cache stays shared.
export const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.toLowerCase().startsWith('npm_') || k.toLowerCase() === 'npm_config_cache',
  ),
) as NodeJS.ProcessEnv;

/** Runs a command; a failure is an Error carrying its output. */
export async function sh(
  cmd: string,
  args: string[],
  cwd: string,
  { timeout = 300_000, env = cleanEnv }: { timeout?: number; env?: NodeJS.ProcessEnv } = {},
) {
  try {
    return await run(cmd, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      {
        cause: error,
      },
    );
  }
}

/** The tarball's path and the files it holds, built from a copy under `tmp`. */
export async function packPackage(tmp: string): Promise<{ tarball: string; files: string[] }> {
  const copy = path.join(tmp, 'source');
  await mkdir(copy, { recursive: true });
  for (const entry of [...SOURCES, ...SOURCE_DIRS]) {
    await cp(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  // npm pack's prepack script builds dist/ and prints to the same stdout, before npm's JSON.
  const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', tmp], copy);
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as [
    { filename: string; files: { path: string }[] },
  ];
  return {
    tarball: path.join(tmp, packed.filename),
    files: packed.files.map((f) => f.path).sort(),
  };
}
