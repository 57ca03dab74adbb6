/**
 * npm run generate [-- --input <spec.yaml | https URL>] [--output <dir>] [--check]
 *   [--max-seconds <s>] [--max-memory-mb <MB>]
 * The package's own client from openapi/dwolla.yaml into src/generated (see generate-command.ts).
 */
import { generate, MAINTAINER_PROFILE } from './generate-command.js';
import { runCli } from './run-cli.js';

runCli((argv) => generate(argv, MAINTAINER_PROFILE));
