import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const USAGE = `Usage: npm run emulator -- [options]

Runs a local Dwolla API emulator until interrupted (SIGINT/SIGTERM).

Options:
  --spec <file>             OpenAPI spec to emulate (default: openapi/dwolla.yaml)
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
export function parseCli(args: string[]): CliOptions | 'help' {
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

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emulator = await startEmulator(options);
  process.stdout.write(
    [
      `Dwolla emulator listening on ${emulator.url}`,
      `spec: ${options.spec ?? 'openapi/dwolla.yaml'} (${emulator.operations.length} operations)`,
      `key: ${options.key}`,
      `secret: ${options.secret}`,
      `token lifetime: ${options.tokenLifetime} s`,
      `state: ${options.state ? 'kept (--stateless to answer samples only)' : 'none (stateless)'}`,
      `dashboard: ${emulator.dashboardUrl}`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  });
}
