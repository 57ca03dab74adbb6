import { join } from 'node:path';
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
export async function generateFixtureOperations(prefix: string) {
  const dir = await makeTempDir(prefix);
  const { doc } = applySpecFixes(fixtureSpec() as unknown as OpenApiDocument);
  await generateInto(doc, dir, 'fixture spec');
  const load = <T>(file: string) => import(pathToFileURL(join(dir, file)).href) as Promise<T>;
  return { dir, load };
}
