/**
 * npm run contract -- --spec <file>
 * Runs every operation of the spec through the client against the emulator, and checks what
 * went over the wire against the spec. Prints a line per failing operation, then
 * "N passed, M failed"; exits 1 if any failed.
 */
import { parseArgs } from 'node:util';
import { runCli } from '../scripts/run-cli.js';
import { runContract } from './run-contract.js';
import { describeOverlap, OVERLAP_RULE } from '../src/emulator/spec/one-of-overlaps.js';

const USAGE = 'usage: npm run contract -- --spec <openapi.yaml>';

async function main(argv: string[]): Promise<number> {
  let spec: string | undefined;
  try {
    ({ spec } = parseArgs({
      args: argv,
      options: { spec: { type: 'string' } },
      strict: true,
    }).values);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!spec) {
    console.error(`--spec is required\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const { results, relaxed } = await runContract({ spec });
  for (const overlap of relaxed) console.log(`relaxed (spec defect): ${describeOverlap(overlap)}`);
  if (relaxed.length) console.log(`  checked as: ${OVERLAP_RULE}`);
  const failed = results.filter((r) => r.problems.length > 0);
  for (const { operationId, method, path, problems } of failed) {
    console.log(`FAIL ${operationId} (${method.toUpperCase()} ${path}): ${problems.join('; ')}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`contract: ${spec}, ${results.length} operations in ${seconds} s`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length > 0 || results.length === 0 ? 1 : 0;
}

runCli(main);
