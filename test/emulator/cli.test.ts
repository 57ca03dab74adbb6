import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/emulator/command.js';
import { variantSpec } from '../helpers/variant-spec.js';
import { basic } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const output = () => ({ stdout, stderr });
  /** Resolves with stdout once it holds `pattern` (or rejects when the process exits first). */
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) resolve(match);
      };
      child.stdout!.on('data', check);
      check();
      void exited.then(() => reject(new Error(`exited before printing ${pattern}: ${stderr}`)));
    });
  return { child, exited, output, waitFor };
}

describe('emulator CLI', () => {
  it('reads --stateless, --rate-limit, --webhooks-any-host and --compress-webhook-retries', () => {
    expect(parseCli([])).toMatchObject({
      state: true,
      rateLimit: undefined,
      webhooks: { allowAnyHost: false, compressRetries: undefined },
    });
    const args = ['--stateless', '--rate-limit', '5', '--webhooks-any-host'];
    expect(parseCli([...args, '--compress-webhook-retries', '3600'])).toMatchObject({
      state: false,
      rateLimit: { requestsPerSecond: 5 },
      webhooks: { allowAnyHost: true, compressRetries: 3600 },
    });
    expect(() => parseCli(['--rate-limit', '0'])).toThrow(/--rate-limit needs a whole number/);
    expect(() => parseCli(['--compress-webhook-retries', 'fast'])).toThrow(
      /--compress-webhook-retries needs a whole number/,
    );
  });

  it('prints its URL and credentials, serves requests, and stops on SIGTERM', async () => {
    const cli = run([
      '--port',
      '0',
      '--key',
      'cli key',
      '--secret',
      'cli-secret',
      '--token-lifetime',
      '90',
    ]);
    const [, url] = await cli.waitFor(
      /listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*token lifetime/,
    );
    expect(cli.output().stdout).toContain('key: cli key');
    expect(cli.output().stdout).toContain('secret: cli-secret');
    const response = await fetch(`${url}/token`, {
      method: 'POST',
      headers: {
        authorization: basic('cli key', 'cli-secret'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(90);
    cli.child.kill('SIGTERM');
    const [code] = await cli.exited;
    expect(code).toBe(0);
  });

  it('generates random credentials when none are given, and stops on SIGINT', async () => {
    const cli = run([]);
    const [, url, key, secret] = await cli.waitFor(
      /listening on (\S+)\n[\s\S]*key: (\S+)\nsecret: (\S+)\n/,
    );
    expect(key!.length).toBeGreaterThan(10);
    expect(secret!.length).toBeGreaterThan(10);
    const response = await fetch(`${url}/token`, {
      method: 'POST',
      headers: {
        authorization: basic(key!, secret!),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    cli.child.kill('SIGINT');
    expect((await cli.exited)[0]).toBe(0);
  });

  it.each([
    [['--bogus']],
    [['--port', 'eighty']],
    [['--port', '70000']],
    [['--key', 'only-a-key']],
    [['--token-lifetime', '-5']],
    [['positional']],
  ])('exits 2 with usage on stderr for %j', async (args) => {
    const cli = run(args);
    const [code] = await cli.exited;
    expect(code).toBe(2);
    expect(cli.output().stderr).toMatch(
      /^error: [\s\S]+\n\nUsage: npm run emulator -- \[options\]/,
    );
    expect(cli.output().stdout).toBe('');
  });

  it('prints usage on --help and exits 0', async () => {
    const cli = run(['--help']);
    expect((await cli.exited)[0]).toBe(0);
    expect(cli.output().stdout).toMatch(/^Usage: /);
  });

  it('prints each overlapping oneOf of the spec once, as a spec defect, and the rule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dwolla-cli-'));
    try {
      const file = join(dir, 'overlap.json');
      const spec = variantSpec({ overlap: { branches: 2, discriminator: false } });
      await writeFile(file, JSON.stringify(spec));
      const cli = run(['--spec', file, '--port', '0']);
      await cli.waitFor(/answered as: .*\n/);
      const defects = cli
        .output()
        .stdout.split('\n')
        .filter((l) => l.startsWith('spec defect: '));
      expect(defects).toEqual([
        'spec defect: getCustomer 200: #/components/schemas/CustomerAny: 2 of its 2 oneOf branches overlap (CustomerKind0, CustomerKind1)',
      ]);
      expect(cli.output().stdout).toContain('answered as: a body must match at least one branch');
      cli.child.kill('SIGTERM');
      expect((await cli.exited)[0]).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a message when the spec cannot be loaded', async () => {
    const cli = run(['--spec', 'no/such/spec.yml']);
    expect((await cli.exited)[0]).toBe(1);
    expect(cli.output().stderr).toMatch(/no\/such\/spec\.yml/);
  });
});
