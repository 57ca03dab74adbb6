#!/usr/bin/env node
/**
 * The package's bin: the whole Dwolla API typed in a user's project, in one command.
 *   npx dwolla-openapi-client generate --input <spec.yaml | https://…> --output <dir> [--check]
 *     [--max-seconds <s>] [--max-memory-mb <MB>]
 * The same pipeline as `npm run generate` (spec fixes, refusals, atomic write, --check); the
 * output imports its client from the installed package (USER_PROFILE). Its libraries are optional
 * peers, checked before any of them is imported so a missing one gets a one-line answer.
 */
import { missingPeersMessage } from './bin-peers.js';
import { LIMIT_OPTIONS } from './generator-limits.js';

const COMMAND = 'dwolla-openapi-client generate';
const USAGE = `usage: npx ${COMMAND} --input <spec.yaml | https://…> --output <dir> [--check] ${LIMIT_OPTIONS}`;

const [subcommand, ...args] = process.argv.slice(2);
if (subcommand !== 'generate') {
  const help = subcommand === undefined || subcommand === '--help' || subcommand === '-h';
  console.error(help ? USAGE : `unknown command "${subcommand}"\n${USAGE}`);
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
