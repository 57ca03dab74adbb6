import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
