import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The compiler of the project's own checks (`npm run typecheck`): TypeScript 7, the native one,
 * installed as `@typescript/native` beside `typescript` 5.9, whose compiler API tsup, ESLint and
 * the generator use. What users compile with (5.9 and 7) the package tests check.
 */
export const PROJECT_TSC = 'node_modules/@typescript/native/bin/tsc';

/**
 * Type-checks `include` (files or globs) under the project's compiler settings (and
 * `compilerOptions`) with the project's tsc, writing the tsconfig into `scratch`. Resolves tsc's output (empty when clean);
 * rejects with tsc's errors otherwise.
 */
export async function typecheck(
  scratch: string,
  include: string[],
  compilerOptions: Record<string, unknown> = {},
): Promise<{ stdout: string }> {
  const tsconfig = join(scratch, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: resolve('tsconfig.json'),
      compilerOptions: { types: [], ...compilerOptions },
      include,
    }),
  );
  const tsc = resolve(PROJECT_TSC);
  return promisify(execFile)(process.execPath, [tsc, '-p', tsconfig]);
}
