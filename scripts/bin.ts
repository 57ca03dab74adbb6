#!/usr/bin/env node
/**
 * The package's bin: the whole Dwolla API typed in a user's project, in one command.
 *   npx dwolla-openapi-client generate --input <spec.yaml | https://…> --output <dir> [--check]
 *     [--max-seconds <s>] [--max-memory-mb <MB>]
 *   npx dwolla-openapi-client emulator --spec <spec.yaml> [options]   (a local Dwolla; --help)
 * The same pipeline as `npm run generate` (spec fixes, refusals, atomic write, --check); the
 * output imports its client from the installed package (USER_PROFILE). Its libraries are optional
 * peers, checked before any of them is imported so a missing one gets a one-line answer.
 */
import { missingPeersMessage } from './bin-peers.js';
import { LIMIT_OPTIONS } from './generator-limits.js';

const COMMAND = 'dwolla-openapi-client generate';
const USAGE = `usage: npx ${COMMAND} --input <spec.yaml | https://…> --output <dir> [--check] ${LIMIT_OPTIONS}`;

const EMULATOR = 'dwolla-openapi-client emulator';
const USAGES = `${USAGE}\n       npx ${EMULATOR} --spec <spec.yaml> [options]   (--help lists them)`;
/** The package's own emulator entry, loaded by name at run time (not bundled into the bin); it
 * checks its optional peers as it loads, naming any that is missing. */
const EMULATOR_ENTRY: string = 'dwolla-openapi-client/emulator';

const [subcommand, ...args] = process.argv.slice(2);
if (subcommand === 'emulator') {
  import(EMULATOR_ENTRY)
    .then((emulator: typeof import('../src/emulator/index.js')) =>
      emulator.runEmulatorCli(args, { command: `npx ${EMULATOR}`, specRequired: true }),
    )
    .catch((error: unknown) => {
      console.error((error as Error).message ?? String(error));
      process.exitCode = 1;
    });
} else if (subcommand !== 'generate') {
  const help = subcommand === undefined || subcommand === '--help' || subcommand === '-h';
  console.error(help ? USAGES : `unknown command "${subcommand}"\n${USAGES}`);
  process.exitCode = help && subcommand !== undefined ? 0 : 2;
} else {
  const missing = missingPeersMessage(COMMAND);
  if (missing !== undefined) {
    console.error(missing);
    process.exitCode = 1;
  } else {
    const { runCli } = await import('./run-cli.js');
    const { generate, userProfile } = await import('./generate-command.js');
    runCli(() => generate(args, userProfile(`npx ${COMMAND}`, USAGE)));
  }
}
