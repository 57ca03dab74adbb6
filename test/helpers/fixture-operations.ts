import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { pathToFileURL } from 'node:url';
import { generateInto, makeTempDir } from '../../scripts/codegen.js';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';
import { applySpecFixes } from '../../src/spec/spec-fixes.js';
import { fixtureSpec } from './fixture-spec.js';

/**
 * The fixture spec's operations, generated (with the spec fixes `npm run generate` applies) into
 * a fresh folder named with `prefix`: `dir` to remove afterwards, `load(file)` to import one of
 * its modules (`sdk.gen.ts`, `client/index.ts`).
 */
async function generateFixtureOperations(prefix: string) {
  const dir = await makeTempDir(prefix);
  const { doc } = applySpecFixes(fixtureSpec() as unknown as OpenApiDocument);
  await generateInto(doc, dir, 'fixture spec');
  const load = <T>(file: string) => import(pathToFileURL(join(dir, file)).href) as Promise<T>;
  return { dir, load };
}

/**
 * The fixture spec's operations for one test file: generated before its tests, removed after
 * them. `ops` (sdk.gen.ts) and `load` are set once the file's beforeAll has run.
 */
export function useFixtureOperations<T>(prefix: string) {
  const fixture = {} as { ops: T; load: <M>(file: string) => Promise<M> };
  let dir: string | undefined;
  beforeAll(async () => {
    const generated = await generateFixtureOperations(prefix);
    dir = generated.dir;
    fixture.load = generated.load;
    fixture.ops = await generated.load<T>('sdk.gen.ts');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return fixture;
}
