/**
 * npm run generate [-- --input <spec>] [--output <dir>] [--check]
 * Reads the OpenAPI spec, applies the spec fixes, generates the typed client and writes it to
 * the output folder atomically. With --check, generates into a temporary folder instead and
 * exits 1 if the output folder differs from what it would write.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadSpec } from '../src/spec/load-spec.js';
import { runCli } from './run-cli.js';
import { applySpecFixes } from '../src/spec/spec-fixes.js';

const USAGE = 'usage: npm run generate -- [--input <spec.yaml>] [--output <dir>] [--check]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        input: { type: 'string', default: 'openapi/dwolla.yaml' },
        output: { type: 'string', default: 'src/generated' },
        check: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { input, output, check } = values;
  const started = performance.now();
  const { doc, report } = applySpecFixes(await loadSpec(input));
  for (const line of report) console.log(`spec fix ${line}`);
  // Loaded only once the spec is known to be good: the generator takes a while to import.
  const { diffFolders, generateAtomically, generateInto, makeTempDir } =
    await import('./codegen.js');

  if (!check) {
    await generateAtomically(doc, output, input);
    console.log(`generated ${output} from ${input} in ${elapsed(started)}`);
    return 0;
  }
  const scratch = await makeTempDir('dwolla-generate-check-');
  try {
    await generateInto(doc, scratch, input);
    const differing = await diffFolders(scratch, output);
    if (differing.length === 0) {
      console.log(`${output} is up to date with ${input} (${elapsed(started)})`);
      return 0;
    }
    console.error(
      `${output} differs from what ${input} generates (${differing.length} file(s)); run npm run generate:`,
    );
    for (const line of differing.slice(0, 20)) console.error(`  ${line}`);
    if (differing.length > 20) console.error(`  … and ${differing.length - 20} more`);
    return 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

runCli(main);
