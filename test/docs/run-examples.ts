/**
 * Runs the documentation's runnable examples, one after another, in this process:
 * `node --import tsx test/docs/run-examples.ts <spec> <example.ts>...`, started by
 * examples.test.ts in the folder the examples were written to (its tsconfig maps the package's
 * names to src/). One emulator on the given spec serves the `sandbox` examples, reset before
 * each; an example that starts its own (the quick start) finds the spec as `dwolla-openapi.yml`
 * in the working folder. Prints one `EXAMPLE {json}` line per example, then exits.
 */
import { pathToFileURL } from 'node:url';
import { startEmulator } from '../../src/emulator/index.js';
import './sandbox-global.js';

const [spec, ...files] = process.argv.slice(2);
const key = 'my-key';
const secret = 'my-secret';
// A delivery that times out on a loaded machine is tried again a quarter of a second later
// (Dwolla's schedule compressed), not lost.
const emu = await startEmulator({
  key,
  secret,
  spec,
  webhooks: { retries: 2, compressRetries: 3600 },
});
globalThis.docsSandbox = { emu, key, secret };

for (const file of files) {
  emu.reset();
  const started = Date.now();
  let error: string | undefined;
  try {
    await import(pathToFileURL(file).href);
    await emu.webhooksSettled();
  } catch (thrown) {
    error = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
  }
  console.log(`EXAMPLE ${JSON.stringify({ file, ms: Date.now() - started, error })}`);
}
await emu.close();
// An example may leave a server or a pool open, as a reader's program would until it ends.
process.exit(0);
