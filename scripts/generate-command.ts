/**
 * The generate command, shared by `npm run generate` (maintainers: this package's own client)
 * and the package's bin (`npx dwolla-openapi-client generate`: users' whole-API output).
 * Reads the OpenAPI spec (a file or an https URL), applies the spec fixes, checks it
 * (codegen.ts's prepareDocument), generates the typed client and writes it to the output folder atomically. With --check, generates into a temporary
 * folder instead and exits 1 if the output folder differs from what it would write. The
 * generator runs in a worker bounded in time and memory (--max-seconds, --max-memory-mb).
 */
import { register } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSpecUrl, loadSpecFromUrl, specInputName } from '../src/spec/fetch-spec.js';
import { loadSpec } from '../src/spec/load-spec.js';
import { PACKAGE_NAME } from '../src/version.js';
import { boundedGenerator } from './bounded-generate.js';
import { DEFAULT_LIMITS, LIMIT_OPTIONS, type GeneratorLimits } from './generator-limits.js';
import {
  findGenerator,
  GENERATOR,
  generatorProblem,
  newestGeneratorFor,
  typescriptApiHook,
} from './hey-api.js';
import { refusedOutput } from './output-folder.js';
import type { CodegenOptions } from './codegen.js';

/** How one command runs the pipeline: its usage line, defaults, and how it generates. */
export interface GenerateProfile {
  /** How users run it, e.g. `npm run generate`; printed when --check finds differences. */
  command: string;
  /** The usage line printed with an argument error. */
  usage: string;
  /** Defaults for --input and --output; an option without a default is required. */
  defaults: { input?: string; output?: string };
  /** Codegen options for an output folder (e.g. whose prettier config formats it). */
  codegen(output: string): CodegenOptions;
}

/** `npm run generate`: the package's own client, into src/generated. */
export const MAINTAINER_PROFILE: GenerateProfile = {
  command: 'npm run generate',
  usage: `usage: npm run generate -- [--input <spec.yaml | https://…>] [--output <dir>] [--check] ${LIMIT_OPTIONS}`,
  defaults: { input: 'openapi/dwolla.yaml', output: 'src/generated' },
  codegen: () => ({}),
};

const withDefault = (value: string | undefined) => (value === undefined ? {} : { default: value });

/**
 * The bin: the whole API into a user's project. Operations import the client runtime from the
 * installed package (`dwolla-openapi-client/client`, the module `dwolla.client` is built
 * from), and the output is formatted with the user's own prettier config.
 */
export const userProfile = (command: string, usage: string): GenerateProfile => ({
  command,
  usage,
  defaults: {},
  codegen: (output) => ({
    clientModule: `${PACKAGE_NAME}/client`,
    prettierConfigFrom: resolve(output, 'index.ts'),
  }),
});

/** A file path, or an https URL (http on loopback only). */
const readSpec = (input: string) => (isSpecUrl(input) ? loadSpecFromUrl(input) : loadSpec(input));

/** Runs the pipeline for a command line (without the command); resolves to the exit code. */
export async function generate(argv: string[], profile: GenerateProfile): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        input: { type: 'string', ...withDefault(profile.defaults.input) },
        output: { type: 'string', ...withDefault(profile.defaults.output) },
        check: { type: 'boolean', default: false },
        'max-seconds': { type: 'string', default: String(DEFAULT_LIMITS.maxSeconds) },
        'max-memory-mb': { type: 'string', default: String(DEFAULT_LIMITS.maxMemoryMb) },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${profile.usage}`);
    return 2;
  }
  const { input: given, output, check } = values;
  if (given === undefined || output === undefined) {
    console.error(`${given === undefined ? '--input' : '--output'} is required\n${profile.usage}`);
    return 2;
  }
  const limits: GeneratorLimits = {
    maxSeconds: Number(values['max-seconds']),
    maxMemoryMb: Number(values['max-memory-mb']),
  };
  for (const [flag, value] of [
    ['--max-seconds', limits.maxSeconds],
    ['--max-memory-mb', limits.maxMemoryMb],
  ] as const) {
    if (!(value > 0 && value < Infinity)) {
      console.error(`${flag} must be a positive number\n${profile.usage}`);
      return 2;
    }
  }
  // Only a folder the generator made is replaced (output-folder.ts); --check only reads.
  const refused = check ? undefined : await refusedOutput(output);
  if (refused !== undefined) {
    console.error(refused);
    return 1;
  }
  // The release of the generator, the Node it needs and its TypeScript (hey-api.ts).
  const installed = findGenerator(import.meta.filename);
  const problem = installed && generatorProblem(profile.command, installed);
  if (installed === undefined || problem !== undefined) {
    console.error(
      problem ??
        `${profile.command} needs ${GENERATOR}: npm install --save-dev ${GENERATOR}@${newestGeneratorFor(process.versions.node)}`,
    );
    return 1;
  }
  // TypeScript 7 beside the generator: it gets TypeScript 6's API here too (the pipeline names
  // operations with its utils) before anything imports it.
  if (installed.typescriptApi) register(typescriptApiHook(installed.typescriptApi));
  const generator = boundedGenerator(limits, installed);
  const input = specInputName(given);
  const started = performance.now();
  const loaded = await readSpec(given);
  // Loaded only once the spec is read: the generator takes a while to import.
  const { checkGenerated, generateAtomically, prepareDocument } = await import('./codegen.js');
  const { doc, report } = prepareDocument(loaded, input);
  for (const line of report) console.log(`spec fix ${line}`);
  const options = profile.codegen(output);

  if (!check) {
    await generateAtomically(doc, output, input, options, { generator });
    console.log(`generated ${output} from ${input} in ${elapsed(started)}`);
    return 0;
  }
  const differing = await checkGenerated(doc, output, input, options, generator);
  if (differing.length === 0) {
    console.log(`${output} is up to date with ${input} (${elapsed(started)})`);
    return 0;
  }
  console.error(
    `${output} differs from what ${input} generates (${differing.length} file(s)); run ${profile.command}:`,
  );
  for (const line of differing.slice(0, 20)) console.error(`  ${line}`);
  if (differing.length > 20) console.error(`  … and ${differing.length - 20} more`);
  return 1;
}

const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
