/**
 * The bin as users get it today, on the Node this runs on (CI runs it on 20, 22 and 24): the
 * packed package installed in a fresh ESM project with its declared peers, the newest generator
 * this Node runs (`@hey-api/openapi-ts@latest` from Node 22.18 on, 0.95 on Node 20) and the
 * newest compiler (`typescript@latest`, TypeScript 7, beside TypeScript 6's compiler API, a
 * declared peer); generate Dwolla's whole API with `dwolla-openapi-client generate`, type-check a
 * program using it with TypeScript 7 and 5.9 (--strict, NodeNext and bundler resolution), and
 * run that program against the emulator the package ships. (Every other supported generator
 * release: test/generate/hey-api-releases.)
 */
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN_PEERS } from '../../scripts/bin-peers.js';
import { makeTempDir } from '../../scripts/codegen.js';
import {
  compareVersions,
  GENERATOR,
  newestGeneratorFor,
  TESTED_GENERATORS,
  TYPESCRIPT_API,
} from '../../scripts/hey-api.js';
import { packedPackage, ROOT } from '../helpers/pack-package.js';
import { cleanEnv, sh } from '../helpers/shell.js';
import { makeTestCertificates, serveFile, startTlsServer } from '../helpers/test-tls.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';

const OPERATIONS = [
  'getRoot',
  'listAndSearchCustomers',
  'createCustomer',
  'getCustomer',
  'listEvents',
  'listBusinessClassifications',
];

/** The program a user writes against the generated operations and the installed client. */
const program = (
  spec: string,
) => `import { createDwollaClient, type DwollaGeneratedClient } from 'dwolla-openapi-client';
import { startEmulator } from 'dwolla-openapi-client/emulator';
import { ${OPERATIONS.join(', ')}, type CreateCustomerData } from './src/dwolla/index.js';

const emu = await startEmulator({ spec: ${JSON.stringify(spec)}, key: 'app-key', secret: 'app-secret' });
try {
  const dwolla = createDwollaClient({ key: 'app-key', secret: 'app-secret', baseUrl: emu.url });
  const client: DwollaGeneratedClient = dwolla.client;
  const root = await getRoot({ client: dwolla.client });
  const customers = await listAndSearchCustomers({ client: dwolla.client, query: { limit: 2 } });
  const total: number | undefined = customers.data?.total;
  const body: CreateCustomerData['body'] = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', type: 'unverified' };
  const created = await createCustomer({ client, body });
  const location = created.response.headers.get('location') ?? '';
  const id = location.slice(location.lastIndexOf('/') + 1);
  const customer = await getCustomer({ client: dwolla.client, path: { id } });
  const email: string | undefined = customer.data?.email;
  const events = await listEvents({ client: dwolla.client, query: { limit: 1 } });
  const classifications = await listBusinessClassifications({ client: dwolla.client });
  console.log(JSON.stringify({
    statuses: [root, customers, created, customer, events, classifications].map((r) => r.response.status),
    location: location === emu.url + '/customers/' + id,
    types: [typeof root.data?._links, typeof total, typeof email],
    classifications: Array.isArray(classifications.data?._embedded?.['business-classifications']),
  }));
} finally {
  await emu.close();
}
`;

/** Calls the compiler must refuse (each \`@ts-expect-error\` fails the check if it has nothing to refuse). */
const refused = `import { createDwollaClient } from 'dwolla-openapi-client';
import { createCustomer, getCustomer } from './src/dwolla/index.js';
const dwolla = createDwollaClient({ key: 'k', secret: 's', environment: 'sandbox' });
// @ts-expect-error firstName is a string
void createCustomer({ client: dwolla.client, body: { firstName: 1, lastName: 'Doe', email: 'e@example.com', type: 'unverified' } });
// @ts-expect-error the path needs an id
void getCustomer({ client: dwolla.client, path: {} });
// @ts-expect-error every call names its client
void getCustomer({ path: { id: 'x' } });
// @ts-expect-error not a client
void getCustomer({ client: { baseUrl: 'x' }, path: { id: 'x' } });
`;

/** The generating guide's typed example (create, get, list and page customers). */
async function readmeExample(): Promise<string> {
  const guide = await readFile(path.join(ROOT, 'docs/generating.md'), 'utf8');
  const example = /```ts\n(\/\/ src\/example\.ts[^]*?)```/.exec(guide)?.[1];
  if (!example)
    throw new Error('docs/generating.md has no ```ts block starting with // src/example.ts');
  return example;
}

const COMPILERS = { 'TypeScript 7': 'typescript', 'TypeScript 5.9': 'ts59' } as const;
const RESOLUTIONS = {
  NodeNext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'preserve', moduleResolution: 'bundler' },
} as const;

describe.skipIf(!HAS_UPSTREAM_SPEC)('npx dwolla-openapi-client generate, from the tarball', () => {
  let tmp: string;
  let app: string;
  let packedFiles: string[];
  let manifest: {
    bin?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  } & Record<string, unknown>;
  /** The user's environment: this Node first on the PATH (the bin's `#!/usr/bin/env node`, npm). */
  let env: NodeJS.ProcessEnv;
  let node: string;
  const bin = () => path.join(app, 'node_modules/.bin/dwolla-openapi-client');
  const generate = (args: string[], more: NodeJS.ProcessEnv = {}) =>
    sh(bin(), ['generate', ...args], app, { env: { ...env, ...more } }).catch(
      (error: Error) => error,
    );

  beforeAll(async () => {
    node = process.execPath;
    env = { ...cleanEnv, PATH: `${path.dirname(node)}${path.delimiter}${cleanEnv.PATH ?? ''}` };
    tmp = await makeTempDir('dwolla-bin-app-');
    const packed = await packedPackage();
    packedFiles = packed.files;
    manifest = packed.manifest;
    app = path.join(tmp, 'app');
    await mkdir(app);
    await writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    // What the package declares as peers, the generator as the newest release this Node runs,
    // and the compilers: `typescript@latest` (7) and TypeScript 5.9 under an alias.
    const newest = TESTED_GENERATORS.at(-1)!;
    const generator =
      compareVersions(process.versions.node, newest.node) >= 0
        ? 'latest'
        : newestGeneratorFor(process.versions.node);
    const peers = Object.entries(manifest.peerDependencies ?? {}).map(([name, range]) =>
      name === GENERATOR ? `${name}@${generator}` : `${name}@${range}`,
    );
    await sh(
      'npm',
      ['install', packed.tarball, ...peers, 'typescript@latest', 'ts59@npm:typescript@~5.9.3',
        '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], // prettier-ignore
      app,
      { timeout: 400_000, env },
    );
    const installed = (name: string) =>
      JSON.parse(readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8'))
        .version as string;
    console.info(
      `bin test: Node ${(await sh(node, ['--version'], app)).stdout.trim()}, ${GENERATOR} ${installed(GENERATOR)}, typescript ${installed('typescript')}, ${TYPESCRIPT_API} ${installed(TYPESCRIPT_API)}`,
    );
  }, 900_000);
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('ships the bin and the client runtime its output imports; its libraries are optional peers', () => {
    expect(manifest.bin).toEqual({
      'dwolla-openapi-client': './dist/bin/dwolla-openapi-client.js',
    });
    expect(packedFiles).toContain('dist/bin/dwolla-openapi-client.js');
    for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) {
      expect(packedFiles).toContain(`dist/client/index${ext}`);
    }
    const meta = manifest.peerDependenciesMeta as Record<string, { optional?: boolean }>;
    for (const name of Object.keys(BIN_PEERS)) {
      if (manifest.peerDependencies?.[name]) expect(meta[name], name).toEqual({ optional: true });
    }
  });

  it("generates Dwolla's whole API into the project, its client imported from the package", async () => {
    const started = performance.now();
    const result = await generate(['--input', UPSTREAM_SPEC, '--output', 'src/dwolla']);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`npx dwolla-openapi-client generate on the full upstream spec: ${seconds} s`);
    if (result instanceof Error) throw result;
    expect(result.stdout).toContain(`generated src/dwolla from ${UPSTREAM_SPEC}`);

    const spec = parse(await readFile(UPSTREAM_SPEC, 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operationIds = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])),
    );
    const sdk = await readFile(path.join(app, 'src/dwolla/sdk.gen.ts'), 'utf8');
    const exported = [...sdk.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
    expect(exported).toHaveLength(operationIds.length);
    expect(exported).toEqual(expect.arrayContaining(OPERATIONS));
    expect(sdk).toContain(`from "dwolla-openapi-client/client"`);
  }, 300_000);

  describe.each(Object.entries(COMPILERS))('%s type-checks the program', (_, compiler) => {
    it.each(Object.entries(RESOLUTIONS))(
      '--strict, %s resolution',
      async (name, resolution) => {
        await writeFile(path.join(app, 'main.ts'), program(UPSTREAM_SPEC));
        await writeFile(path.join(app, 'refused.ts'), refused);
        await writeFile(path.join(app, 'src/example.ts'), await readmeExample());
        const emit = compiler === 'typescript' && name === 'NodeNext';
        const tsconfig = `tsconfig.${compiler}.${name}.json`;
        await writeFile(
          path.join(app, tsconfig),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              ...resolution,
              target: 'es2022',
              lib: ['es2023', 'dom'],
              skipLibCheck: false,
              // @types/node for the emulator's declarations, from this repository.
              types: ['node'],
              typeRoots: [path.join(ROOT, 'node_modules/@types')],
              ...(emit ? { outDir: 'build' } : { noEmit: true }),
            },
            files: ['main.ts', 'refused.ts', 'src/example.ts'],
          }),
        );
        const tsc = path.join(app, 'node_modules', compiler, 'bin/tsc');
        const { stdout } = await sh(node, [tsc, '--version'], app, { env });
        expect(stdout).toMatch(compiler === 'typescript' ? /^Version 7\./ : /^Version 5\.9\./);
        await sh(node, [tsc, '-p', tsconfig], app, { env });
      },
      300_000,
    );
  });

  it('runs the program against the emulator the package ships', async () => {
    const { stdout } = await sh(node, ['build/main.js'], app, { timeout: 120_000, env });
    expect(JSON.parse(stdout)).toEqual({
      statuses: [200, 200, 201, 200, 200, 200],
      location: true,
      types: ['object', 'number', 'string'],
      classifications: true,
    });
  }, 180_000);

  it('generates the same output from https://127.0.0.1 (a test CA) as from the file', async () => {
    const certificates = await makeTestCertificates(tmp);
    const server = await startTlsServer(
      certificates,
      serveFile('/dwolla-openapi.yml', await readFile(UPSTREAM_SPEC, 'utf8')),
    );
    try {
      const url = `${server.origin}/dwolla-openapi.yml`;
      const result = await generate(['--check', '--input', url, '--output', 'src/dwolla'], {
        NODE_EXTRA_CA_CERTS: certificates.caFile,
      });
      if (result instanceof Error) throw result;
      expect(result.stdout).toContain(`src/dwolla is up to date with ${url}`);
    } finally {
      await server.close();
    }
  }, 300_000);

  it("npx dwolla-openapi-client emulator --spec: the emulator on the user's spec, until SIGTERM", async () => {
    const help = await sh(bin(), ['emulator', '--help'], app, { env });
    for (const option of ['--spec <file>', '--port', '--stateless', '--compress-webhook-retries']) {
      expect(help.stdout).toContain(option);
    }
    // The package ships no Dwolla spec: --spec is required.
    const bare = (await sh(bin(), ['emulator'], app, { env }).catch((e: Error) => e)) as Error;
    expect((bare.cause as { code: number }).code).toBe(2);
    expect((bare.cause as { stderr: string }).stderr).toMatch(/^error: --spec <file> is required/);

    const args = ['emulator', '--spec', UPSTREAM_SPEC, '--key', 'k', '--secret', 's'];
    const child = spawn(bin(), args, { cwd: app, env });
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    try {
      let stdout = '';
      for await (const chunk of child.stdout) {
        stdout += String(chunk);
        if (/dashboard: \S+\n/.test(stdout)) break;
      }
      const url = /listening on (\S+)\n/.exec(stdout)![1]!;
      expect(stdout).toContain(`spec: ${UPSTREAM_SPEC} (`);
      const token = await fetch(`${url}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('k:s').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const customers = await fetch(`${url}/customers`, {
        headers: {
          authorization: `Bearer ${access_token}`,
          accept: 'application/vnd.dwolla.v1.hal+json',
        },
      });
      expect(customers.status).toBe(200);
      expect(await customers.json()).toMatchObject({ total: 0 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);

  /** Runs the bin (`generate`, unless told) with `names` moved out of node_modules; resolves
   * its exit code and output. */
  async function without(
    names: string[],
    command: () => Promise<unknown> = () =>
      generate(['--input', UPSTREAM_SPEC, '--output', 'src/other']),
  ) {
    const moves = names.map((name) => path.join(app, 'node_modules', name));
    for (const from of moves) await rename(from, `${from}.away`);
    try {
      const result = await command();
      expect(result).toBeInstanceOf(Error);
      return (result as Error).cause as { code: number; stdout: string; stderr: string };
    } finally {
      for (const from of moves) await rename(`${from}.away`, from);
    }
  }

  it('without its peers: exit 1 and one line naming what to install', async () => {
    const { code, stdout, stderr } = await without([GENERATOR, 'prettier']);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `dwolla-openapi-client generate needs @hey-api/openapi-ts, prettier: npm install --save-dev @hey-api/openapi-ts@${newestGeneratorFor(process.versions.node)} prettier@${BIN_PEERS.prettier}\n`,
    );
  });

  it('emulator without its peers: exit 1 and one line naming what to install', async () => {
    const emulator = () =>
      sh(bin(), ['emulator', '--spec', UPSTREAM_SPEC], app, { env }).catch((e: Error) => e);
    const { code, stdout, stderr } = await without(['ajv', 'find-my-way'], emulator);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/needs packages that are not installed: ajv, find-my-way\b/);
    expect(stderr).toContain('npm install ajv find-my-way');
  });

  it("with TypeScript 7 and without TypeScript 6's compiler API: exit 1 and one line naming it", async () => {
    const { code, stdout, stderr } = await without([TYPESCRIPT_API]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(
      new RegExp(
        `^@hey-api/openapi-ts needs a TypeScript compiler API, which typescript 7\\.\\S+ does not have: npm install --save-dev ${TYPESCRIPT_API}@\\S+ \\(TypeScript 6's API, used only by the generator\\)\\n$`,
      ),
    );
    expect(await readdir(path.join(app, 'src'))).not.toContain('other');
  });
});
