import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { createClient } from '@hey-api/openapi-ts';
import * as prettier from 'prettier';
import type { OpenApiDocument } from '../src/spec/load-spec.js';
import { GeneratorError, generatorReason } from './generator-error.js';
import { importClientFrom } from './import-client-from.js';

export interface CodegenOptions {
  /**
   * Import the client runtime from this module (e.g. `dwolla-openapi-client/client`) instead of
   * generating a copy of it next to the operations; unset, the client is generated too.
   */
  clientModule?: string;
  /** Where prettier starts looking for its config; default: this project's src/generated. */
  prettierConfigFrom?: string;
}

/** Generated files are formatted with the project's own prettier settings, wherever they go. */
const PRETTIER_CONFIG_FROM = fileURLToPath(new URL('../src/generated/index.ts', import.meta.url));

/**
 * Runs @hey-api/openapi-ts on a parsed document and formats the output with prettier; a
 * generator failure is a GeneratorError naming `source` (the spec file).
 */
export async function generateInto(
  doc: OpenApiDocument,
  dir: string,
  source = 'the spec',
  { clientModule, prettierConfigFrom = PRETTIER_CONFIG_FROM }: CodegenOptions = {},
): Promise<void> {
  await createClient({
    input: doc as unknown as Record<string, unknown>,
    output: { path: dir, module: { extension: '.js' } },
    plugins: [
      // baseUrl: false: the generated client never defaults to Dwolla's production server.
      // bundle: false imports the client from its plugin's name, rewritten to clientModule below.
      { name: '@hey-api/client-fetch', baseUrl: false, bundle: clientModule === undefined },
      '@hey-api/typescript',
      // client: false: no module-level default client; every call passes { client: dwolla.client }.
      { name: '@hey-api/sdk', client: false },
    ],
    logs: { level: 'silent', file: false },
  }).catch((error: unknown) => {
    throw new GeneratorError(`${source}: @hey-api/openapi-ts failed: ${generatorReason(error)}`);
  });
  if (clientModule !== undefined) await importClientFrom(dir, clientModule, source);
  const options = await prettier.resolveConfig(prettierConfigFrom);
  for (const file of await listFiles(dir)) {
    const path = join(dir, file);
    const source = await readFile(path, 'utf8');
    await writeFile(path, await prettier.format(source, { ...options, filepath: path }));
  }
}

/** Relative paths of every file under dir, sorted; [] when dir does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Files that differ between two folders: changed, missing from `actual`, or extra in it. */
export async function diffFolders(expected: string, actual: string): Promise<string[]> {
  const [want, have] = await Promise.all([listFiles(expected), listFiles(actual)]);
  const differing: string[] = [];
  for (const file of new Set([...want, ...have])) {
    if (!want.includes(file)) differing.push(`extra:   ${file}`);
    else if (!have.includes(file)) differing.push(`missing: ${file}`);
    else {
      const [a, b] = await Promise.all([
        readFile(join(expected, file)),
        readFile(join(actual, file)),
      ]);
      if (!a.equals(b)) differing.push(`changed: ${file}`);
    }
  }
  return differing.sort((x, y) => x.slice(9).localeCompare(y.slice(9)));
}

/** A fresh folder under the OS temp dir; the caller removes it. */
export const makeTempDir = (prefix: string) => mkdtemp(join(tmpdir(), prefix));

/**
 * Generates into a sibling temporary folder, then swaps it into place with renames, so an
 * interrupted or failed run never leaves a half-written output folder.
 */
export async function generateAtomically(
  doc: OpenApiDocument,
  output: string,
  source?: string,
  options?: CodegenOptions,
): Promise<void> {
  const parent = dirname(resolve(output));
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(output)}.new-`));
  const previous = join(parent, `.${basename(output)}.old-${process.pid}`);
  try {
    await generateInto(doc, staging, source, options);
    await rename(output, previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, output);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(previous, { recursive: true, force: true });
  }
}
