/**
 * The @hey-api/openapi-ts releases the generate pipeline runs on: the ones it is tested with,
 * the installed one, and what that one needs to run (a Node it supports, a TypeScript with a
 * compiler API). Only node: modules, so the bin can check before importing any peer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const GENERATOR = '@hey-api/openapi-ts';

/**
 * Every release from 0.95.0 to the newest, with the Node its `engines` asks for:
 * test/generate/hey-api-releases.test.ts generates with each one (on a Node it supports) and
 * checks this table against the installed packages.
 */
export const TESTED_GENERATORS: readonly { version: string; node: string }[] = [
  { version: '0.95.0', node: '20.19.0' },
  { version: '0.96.0', node: '22.13.0' },
  { version: '0.96.1', node: '22.13.0' },
  { version: '0.97.0', node: '22.13.0' },
  { version: '0.97.1', node: '22.13.0' },
  { version: '0.97.2', node: '22.13.0' },
  { version: '0.97.3', node: '22.13.0' },
  { version: '0.98.0', node: '22.18.0' },
  { version: '0.98.1', node: '22.18.0' },
  { version: '0.98.2', node: '22.18.0' },
  { version: '0.99.0', node: '22.18.0' },
];

/**
 * The releases the package accepts (its peer range): the tested minor lines.
 * A later patch release of one of them is accepted untested; anything else is refused.
 */
export const GENERATOR_RANGE = { from: '0.95.0', below: '0.100.0' } as const;
export const GENERATOR_PEER_RANGE = `>=${GENERATOR_RANGE.from} <${GENERATOR_RANGE.below}`;

/**
 * The TypeScript compiler API for a generator whose `typescript` is 7 or later (the native
 * compiler, without a JavaScript API): TypeScript 6's, published for that purpose.
 */
export const TYPESCRIPT_API = '@typescript/typescript6';
export const TYPESCRIPT_API_RANGE = '^6.0.2';

/** Compares two `x.y.z` versions (pre-release suffixes are ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[-+]/)[0]!.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A package's manifest as resolved from `from` (a file path), or undefined if not installed. */
export function findPackage(
  name: string,
  from: string,
): { dir: string; version: string; manifest: Record<string, unknown> } | undefined {
  let path: string;
  try {
    path = createRequire(from).resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> & {
    version: string;
  };
  return { dir: dirname(path), version: manifest.version, manifest };
}

/** The installed generator: what the pipeline imports and how it runs it. */
export interface InstalledGenerator {
  version: string;
  /** `engines.node`'s lowest version (`>=x.y.z`), when it states one. */
  node: string | undefined;
  /** The module URL the generator is imported from. */
  url: string;
  /** The `typescript` it imports, or undefined when none is installed for it. */
  typescript: string | undefined;
  /**
   * The URL of the TypeScript compiler API to hand it instead of `typescript`, when that is 7
   * or later and TYPESCRIPT_API is installed; undefined when its own `typescript` serves.
   */
  typescriptApi: string | undefined;
}

/**
 * The generator as resolved from `from` (a file path), or undefined if not installed (`name`:
 * the name it is installed under, for the tests' npm aliases of other releases).
 */
export function findGenerator(from: string, name = GENERATOR): InstalledGenerator | undefined {
  const found = findPackage(name, from);
  if (!found) return undefined;
  const exported = (found.manifest.exports as Record<string, { import?: string }> | undefined)?.[
    '.'
  ]?.import;
  const url = pathToFileURL(join(found.dir, exported ?? 'dist/index.mjs')).href;
  const engines = found.manifest.engines as { node?: string } | undefined;
  const node = /^>=\s*(\d+\.\d+\.\d+)$/.exec(engines?.node?.trim() ?? '')?.[1];
  const fromGenerator = join(found.dir, 'package.json');
  const typescript = findPackage('typescript', fromGenerator)?.version;
  const needsApi = typescript !== undefined && compareVersions(typescript, '7.0.0') >= 0;
  const api = needsApi ? findPackage(TYPESCRIPT_API, fromGenerator) : undefined;
  const typescriptApi = api
    ? pathToFileURL(createRequire(fromGenerator).resolve(TYPESCRIPT_API)).href
    : undefined;
  return { version: found.version, node, url, typescript, typescriptApi };
}

/**
 * A module resolution hook (a data: URL for `module.register`) that hands every import of
 * `typescript` the compiler API at `typescriptApi`: how a generator whose `typescript` is 7 runs
 * (the bin's process registers it before importing the generator, and so does its worker).
 */
export function typescriptApiHook(typescriptApi: string): string {
  const hook = `export const resolve = (specifier, context, next) => specifier === 'typescript' ? { url: ${JSON.stringify(typescriptApi)}, shortCircuit: true } : next(specifier, context);`;
  return `data:text/javascript,${encodeURIComponent(hook)}`;
}

/** The newest tested release that runs on this Node. */
export function newestGeneratorFor(nodeVersion: string): string {
  const fitting = TESTED_GENERATORS.filter((g) => compareVersions(nodeVersion, g.node) >= 0);
  return (fitting.at(-1) ?? TESTED_GENERATORS[0]!).version;
}

/**
 * One line saying why the installed generator cannot run here and what to install, or
 * undefined when it can: a release outside GENERATOR_RANGE, one that needs a newer Node, or
 * TypeScript 7 without TYPESCRIPT_API beside it.
 */
export function generatorProblem(
  command: string,
  generator: InstalledGenerator,
  nodeVersion = process.versions.node,
): string | undefined {
  const { version, node } = generator;
  const suggested = newestGeneratorFor(nodeVersion);
  if (
    compareVersions(version, GENERATOR_RANGE.from) < 0 ||
    compareVersions(version, GENERATOR_RANGE.below) >= 0
  ) {
    return (
      `${command} runs on ${GENERATOR} ${GENERATOR_PEER_RANGE} (tested: ${TESTED_GENERATORS[0]!.version} to ` +
      `${TESTED_GENERATORS.at(-1)!.version}; found ${version}): npm install --save-dev ${GENERATOR}@${suggested}`
    );
  }
  if (node !== undefined && compareVersions(nodeVersion, node) < 0) {
    return (
      `${GENERATOR} ${version} needs Node >= ${node} (this is Node ${nodeVersion}): ` +
      `run ${command} on a newer Node, or npm install --save-dev ${GENERATOR}@${suggested}`
    );
  }
  if (generator.typescript === undefined) {
    return `${command} needs typescript for ${GENERATOR}: npm install --save-dev typescript`;
  }
  const needsApi = compareVersions(generator.typescript, '7.0.0') >= 0;
  if (needsApi && generator.typescriptApi === undefined) {
    return (
      `${GENERATOR} needs a TypeScript compiler API, which typescript ${generator.typescript} does not have: ` +
      `npm install --save-dev ${TYPESCRIPT_API}@${TYPESCRIPT_API_RANGE} (TypeScript 6's API, used only by the generator)`
    );
  }
  return undefined;
}
