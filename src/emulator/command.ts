import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Emulator, EmulatorOptions } from './index.js';
import { describeOverlap, OVERLAP_RULE } from './spec/one-of-overlaps.js';

/** How the command is run: from this repository (`npm run emulator --`, the project's spec by
 * default) or from the package's bin (`npx dwolla-openapi-client emulator`, which ships no
 * Dwolla spec: `--spec` is required, as `generate` requires `--input`). */
/** How the command line was started: its name in messages, and whether `--spec` is required. */
export type CommandName = {
  /** The command as the user typed it, e.g. `npx dwolla-openapi-client emulator`. */
  command: string;
  /** True where no default spec exists (the package's bin). */
  specRequired: boolean;
};

const SPEC_HELP = {
  optional: 'OpenAPI spec to emulate (default: openapi/dwolla.yaml)',
  required: "OpenAPI spec to emulate (required: Dwolla's spec, the one you generate from)",
};

/** The command's help text. */
export function emulatorUsage({ command, specRequired }: CommandName): string {
  return `Usage: ${command} ${specRequired ? '--spec <file> [options]' : '[options]'}

Runs a local Dwolla API emulator until interrupted (SIGINT/SIGTERM).

Options:
  --spec <file>             ${specRequired ? SPEC_HELP.required : SPEC_HELP.optional}
  --port <n>                port to listen on (default: 0, any free port)
  --host <address>          address to listen on (default: 127.0.0.1)
  --key <key>               client key POST /token accepts (default: random; needs --secret)
  --secret <secret>         client secret POST /token accepts (default: random; needs --key)
  --token-lifetime <s>      access token lifetime in seconds (default: 3600)
  --stateless               keep no resources: answer every operation with its sample
  --rate-limit <n>          answer 429 beyond n requests a second (default: no limit)
  --webhooks-any-host       deliver webhooks to any URL, not only to loopback addresses
  --compress-webhook-retries <f>
                            divide Dwolla's webhook retry schedule (15 min … 72 h after the
                            first attempt) by f, e.g. 3600: 72 h become 72 s (default: 1)
  -h, --help                show this help`;
}

type CliOptions = {
  spec?: string;
  port: number;
  host: string;
  key: string;
  secret: string;
  tokenLifetime: number;
  state: boolean;
  rateLimit?: { requestsPerSecond: number };
  webhooks: { allowAnyHost: boolean; compressRetries?: number };
};

/** Reads the command line; throws a UsageError on anything it does not understand. */
export function parseCli(args: string[], specRequired = false): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        spec: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        key: { type: 'string' },
        secret: { type: 'string' },
        'token-lifetime': { type: 'string' },
        stateless: { type: 'boolean' },
        'rate-limit': { type: 'string' },
        'webhooks-any-host': { type: 'boolean' },
        'compress-webhook-retries': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (specRequired && values.spec === undefined) {
    throw new UsageError('--spec <file> is required: the OpenAPI spec to emulate');
  }
  if ((values.key === undefined) !== (values.secret === undefined)) {
    throw new UsageError('--key and --secret go together');
  }
  if (values.key === '' || values.secret === '')
    throw new UsageError('--key and --secret cannot be empty');
  return {
    spec: values.spec,
    port: wholeNumber('--port', values.port ?? '0', 65535),
    host: values.host ?? '127.0.0.1',
    key: values.key ?? `key-${randomBytes(12).toString('hex')}`,
    secret: values.secret ?? randomBytes(24).toString('base64url'),
    tokenLifetime: wholeNumber('--token-lifetime', values['token-lifetime'] ?? '3600', 2 ** 31),
    state: !values.stateless,
    rateLimit:
      values['rate-limit'] === undefined
        ? undefined
        : { requestsPerSecond: positive('--rate-limit', values['rate-limit']) },
    webhooks: {
      allowAnyHost: values['webhooks-any-host'] === true,
      compressRetries:
        values['compress-webhook-retries'] === undefined
          ? undefined
          : positive('--compress-webhook-retries', values['compress-webhook-retries']),
    },
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function positive(flag: string, text: string): number {
  const n = wholeNumber(flag, text, 1e6);
  if (n === 0) throw new UsageError(`${flag} needs a whole number from 1 to 1000000, not "0"`);
  return n;
}

function wholeNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max)
    throw new UsageError(`${flag} needs a whole number from 0 to ${max}, not "${text}"`);
  return n;
}

/**
 * Runs the emulator command with these arguments: prints the help, or a usage error (exit code
 * 2), or starts an emulator (`start`), prints its URL and credentials, and closes it on SIGINT
 * or SIGTERM.
 */
export async function runCommand(
  args: string[],
  name: CommandName,
  start: (options: EmulatorOptions) => Promise<Emulator>,
): Promise<void> {
  const usage = emulatorUsage(name);
  let options: CliOptions | 'help';
  try {
    options = parseCli(args, name.specRequired);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const emulator = await start(options);
  // Before the lines that say it is up: a pipe's write is synchronous, so whoever reads them may
  // signal at once.
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(
    [
      `Dwolla emulator listening on ${emulator.url}`,
      `spec: ${options.spec ?? 'openapi/dwolla.yaml'} (${emulator.operations.length} operations)`,
      `key: ${options.key}`,
      `secret: ${options.secret}`,
      `token lifetime: ${options.tokenLifetime} s`,
      `state: ${options.state ? 'kept (--stateless to answer samples only)' : 'none (stateless)'}`,
      `dashboard: ${emulator.dashboardUrl}`,
      ...emulator.overlappingOneOfs.map((o) => `spec defect: ${describeOverlap(o)}`),
      ...(emulator.overlappingOneOfs.length ? [`  answered as: ${OVERLAP_RULE}`] : []),
      '',
    ].join('\n'),
  );
}
