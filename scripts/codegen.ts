import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import type { UserConfig } from '@hey-api/openapi-ts';
import * as prettier from 'prettier';
import { loadSpec, type OpenApiDocument } from '../src/spec/load-spec.js';
import { checkGeneratable } from '../src/spec/schema-cycles.js';
import { applySpecFixes } from '../src/spec/spec-fixes.js';
import { fixGeneratedClient } from './client-fixes.js';
import { fixGeneratedEntry } from './entry-exports.js';
import { GeneratorError, generatorReason } from './generator-error.js';
import { findGenerator, GENERATOR } from './hey-api.js';
import { importClientFrom } from './import-client-from.js';
import { writeMarker } from './output-folder.js';

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
 * The pipeline's steps before generation: apply the spec fixes to a loaded document and check
 * that the generator can express it. Returns the fixed document and a line per fix that changed
 * it; a spec that cannot be used is a SpecError naming `source`.
 */
export function prepareDocument(
  loaded: OpenApiDocument,
  source: string,
): { doc: OpenApiDocument; report: string[] } {
  const { doc, report } = applySpecFixes(loaded, undefined, source);
  checkGeneratable(doc, source);
  return { doc, report };
}

/** Loads a spec file, then prepareDocument. */
export async function prepareSpec(input: string) {
  return prepareDocument(await loadSpec(input), input);
}

/**
 * The @hey-api/openapi-ts that generates: its release (the client fixes depend on it) and how it
 * runs, in this thread (generatorInThread, the tests' default) or bounded in time and memory in a
 * worker (bounded-generate.ts, the commands').
 */
export interface Generator {
  version: string;
  run(config: UserConfig, source: string): Promise<void>;
}

/** The installed @hey-api/openapi-ts in this thread, unbounded; imported only when it runs. */
export function generatorInThread(from = import.meta.filename): Generator {
  const installed = findGenerator(from);
  if (installed === undefined) throw new GeneratorError(`${GENERATOR} is not installed`);
  return {
    version: installed.version,
    run: async (config) => {
      const { createClient } = (await import(
        installed.url
      )) as typeof import('@hey-api/openapi-ts');
      await createClient(config);
    },
  };
}

/**
 * Runs @hey-api/openapi-ts on a parsed document (with `generator`), applies the client fixes,
 * formats the output with prettier and marks the folder as the generator's (output-folder.ts);
 * a generator failure is a GeneratorError naming `source`.
 */
export async function generateInto(
  doc: OpenApiDocument,
  dir: string,
  source = 'the spec',
  { clientModule, prettierConfigFrom = PRETTIER_CONFIG_FROM }: CodegenOptions = {},
  generator: Generator = generatorInThread(),
): Promise<void> {
  const config: UserConfig = {
    input: doc as unknown as Record<string, unknown>,
    output: { path: dir, module: { extension: '.js' } },
    plugins: [
      // baseUrl: false: the generated client never defaults to Dwolla's production server.
      // bundle: false imports the client from its plugin's name, rewritten to clientModule below.
      // throwOnError: true: generated operations throw (the DwollaError that dwolla.fetch threw)
      // and resolve { data, request, response } only on success.
      {
        name: '@hey-api/client-fetch',
        baseUrl: false,
        bundle: clientModule === undefined,
        throwOnError: true,
      },
      '@hey-api/typescript',
      // client: false: no module-level default client; every call passes { client: dwolla.client }.
      { name: '@hey-api/sdk', client: false },
    ],
    logs: { level: 'silent', file: false },
  };
  await generator.run(config, source).catch((error: unknown) => {
    // A GeneratorError already names the spec (a limit the worker hit).
    if (error instanceof GeneratorError) throw error;
    throw new GeneratorError(`${source}: @hey-api/openapi-ts failed: ${generatorReason(error)}`);
  });
  // With clientModule the output imports the package's client runtime (patched when it was
  // generated): only the operations' patches apply; without it the runtime is generated here too.
  const runtime = clientModule === undefined;
  if (!runtime) await importClientFrom(dir, clientModule, source);
  await fixGeneratedClient(dir, source, generator.version, { runtime });
  await fixGeneratedEntry(dir);
  const options = await prettier.resolveConfig(prettierConfigFrom);
  for (const file of await listFiles(dir)) {
    const path = join(dir, file);
    const source = await readFile(path, 'utf8');
    await writeFile(path, await prettier.format(source, { ...options, filepath: path }));
  }
  await writeMarker(dir);
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

/** Files that differ between the output folder and what the document generates (a scratch folder). */
export async function checkGenerated(
  doc: OpenApiDocument,
  output: string,
  source?: string,
  options?: CodegenOptions,
  generator?: Generator,
): Promise<string[]> {
  const scratch = await makeTempDir('dwolla-generate-check-');
  try {
    await generateInto(doc, scratch, source, options, generator);
    return await diffFolders(scratch, output);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A fresh folder under the OS temp dir; the caller removes it. */
export const makeTempDir = (prefix: string) => mkdtemp(join(tmpdir(), prefix));

/**
 * Generates into a sibling temporary folder, then swaps it into place with two renames (output →
 * `.<name>.old-<pid>`, staging → output), so an interrupted or failed run never leaves a
 * half-written output folder and never loses the previous one: if the second rename fails the
 * previous folder is put back, it is deleted only once the new one is in place, and a run that
 * died between the renames is repaired by the next one (repairInterruptedSwap).
 */
export async function generateAtomically(
  doc: OpenApiDocument,
  output: string,
  source?: string,
  options?: CodegenOptions,
  {
    rename: renameStep = rename,
    generator,
  }: { rename?: (from: string, to: string) => Promise<void>; generator?: Generator } = {},
): Promise<void> {
  const { parent, prefix } = swapNames(output);
  await mkdir(parent, { recursive: true });
  await repairInterruptedSwap(output);
  const staging = await mkdtemp(join(parent, `${prefix}new-${process.pid}-`));
  const previous = join(parent, `${prefix}old-${process.pid}`);
  let swapped = false;
  try {
    await generateInto(doc, staging, source, options, generator);
    const moved = await renameStep(output, previous).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    try {
      await renameStep(staging, output);
      swapped = true;
    } catch (error) {
      if (moved) await rename(previous, output);
      throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
    if (swapped) await rm(previous, { recursive: true, force: true });
  }
}

function swapNames(output: string) {
  return { parent: dirname(resolve(output)), prefix: `.${basename(output)}.` };
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Repairs what a generateAtomically run that died left behind (its process is gone): when the
 * output folder is missing, the previous one (`.<name>.old-<pid>`) is renamed back; its other
 * temporary folders are deleted. Folders of a run still going are left alone.
 */
export async function repairInterruptedSwap(output: string): Promise<void> {
  const { parent, prefix } = swapNames(output);
  const entries = await readdir(parent).catch(() => [] as string[]);
  const dead = entries.filter((name) => {
    const match = new RegExp(`^${escapeRe(prefix)}(?:old|new)-(\\d+)`).exec(name);
    return match !== null && !isAlive(Number(match[1]));
  });
  const hasOutput = await stat(output).then(
    () => true,
    () => false,
  );
  const previous = dead.find((name) => name.startsWith(`${prefix}old-`));
  if (!hasOutput && previous) await rename(join(parent, previous), output);
  for (const name of dead) {
    if (name !== previous || hasOutput)
      await rm(join(parent, name), { recursive: true, force: true });
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
