import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runEmulatorCli } from './index.js';

/** `npm run emulator -- [options]`: the emulator command from this repository's sources (the
 * package's bin runs the same command, `npx dwolla-openapi-client emulator`). */
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  runEmulatorCli(process.argv.slice(2), {
    command: 'npm run emulator --',
    specRequired: false,
  }).catch((error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  });
}
