/**
 * The published package, as a user gets it: `npm pack` (whose `prepack` builds `dist/`) of the
 * repository as git sees it (test/helpers/pack-package.ts: packed once per run and shared with
 * test/package/bin), then the tarball installed with `--engine-strict` into fresh projects
 * outside the repository: one with the package alone (the client's users), one with every
 * optional peer the package declares (the emulator's and other entry points' users). Also runs
 * publint and @arethetypeswrong/cli on the same package. (CI starts from a clean clone and
 * `npm ci`, so that path is proven there.)
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { init, parse } from 'es-module-lexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { packedPackage, ROOT, type PackedPackage } from '../helpers/pack-package.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { cleanEnv, sh } from '../helpers/shell.js';

const run = promisify(execFile);
const root = ROOT;
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The budget for what `npm install dwolla-openapi-client` puts on disk. */
const MAX_UNPACKED_BYTES = 600_000;

/**
 * What `dwolla-openapi-client/emulator` runs on, as the README promises (written out here, not
 * read from the code under test): its import must name each one when they are missing.
 */
const EMULATOR_PEERS = [
  'ajv',
  'ajv-formats',
  'dereference-json-schema',
  'find-my-way',
  'mock-json-schema',
  'yaml',
];
const TRANSPORT_PEERS = ['undici'];

const QUIET = ['--no-audit', '--no-fund', '--prefer-offline'];

let tmp: string;
let packed: PackedPackage;
let tarball: string;
let peers: Record<string, string>;
/** The package alone. */
let bare: string;
let bareInstallLog: string;
/** The package with every optional peer it declares. */
let full: string;
let emu: Emulator;

async function newProject(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir);
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true }, null, 2),
  );
  return dir;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'dwolla-openapi-client-pack-'));
  packed = await packedPackage();
  tarball = packed.tarball;
  peers = packed.manifest.peerDependencies ?? {};

  // The two projects install at the same time (npm's cache takes concurrent installs).
  bare = await newProject('bare');
  full = await newProject('full');
  const withPeers = Object.entries(peers).map(([name, range]) => `${name}@${range}`);
  const [installed] = await Promise.all([
    sh(npm, ['install', tarball, '--engine-strict', ...QUIET], bare),
    sh(npm, ['install', tarball, ...withPeers, '--engine-strict', ...QUIET], full),
  ]);
  bareInstallLog = installed.stdout + installed.stderr;

  emu = await startEmulator({ key: 'pkg-key', secret: 'pkg-secret' });
}, 900_000);

afterAll(async () => {
  await emu?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs a script file written into a consumer project; returns its stdout. */
async function runIn(dir: string, file: string, source: string): Promise<string> {
  await writeFile(path.join(dir, file), source);
  const { stdout } = await sh(process.execPath, [file], dir, { timeout: 60_000 });
  return stdout.trim();
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

describe('the npm package, installed alone', () => {
  it('holds only what users need: built code, declarations, the default spec', () => {
    const files = packed.files;
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('openapi/dwolla.yaml');
    for (const entry of ['index', 'emulator/index', 'transport/index', 'redis/index']) {
      for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) {
        expect(files).toContain(`dist/${entry}${ext}`);
      }
    }
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/emulator/dashboard/assets/dashboard.css',
        'dist/emulator/dashboard/assets/dashboard.js',
      ]),
    );
    const allowed =
      /^(package\.json|README\.md|LICENSE(\.md)?|openapi\/dwolla\.yaml|dist\/.+\.(c?js|d\.c?ts)|dist\/emulator\/dashboard\/assets\/[\w-]+\.(css|js))$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
  });

  it(`installs exactly one package of at most ${MAX_UNPACKED_BYTES} bytes, with no engine warning`, async () => {
    const lock = JSON.parse(
      await readFile(path.join(bare, 'node_modules/.package-lock.json'), 'utf8'),
    ) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages)).toEqual(['node_modules/dwolla-openapi-client']);
    console.info(`npm pack: ${packed.unpackedSize} bytes unpacked, ${packed.files.length} files`);
    expect(packed.unpackedSize).toBeLessThanOrEqual(MAX_UNPACKED_BYTES);
    const onDisk = await directorySize(path.join(bare, 'node_modules/dwolla-openapi-client'));
    expect(onDisk).toBeLessThanOrEqual(MAX_UNPACKED_BYTES);
    expect(bareInstallLog).not.toMatch(/EBADENGINE|engine/i);
  });

  it('declares every library of an entry point as an optional peer, and no dependency', async () => {
    const pkg = JSON.parse(
      await readFile(path.join(bare, 'node_modules/dwolla-openapi-client/package.json'), 'utf8'),
    ) as {
      dependencies?: object;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.peerDependencies)).toEqual(
      expect.arrayContaining([...EMULATOR_PEERS, ...TRANSPORT_PEERS]),
    );
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.peerDependenciesMeta[name], name).toEqual({ optional: true });
    }
  });

  it('imports no package statically from any built file (peers load after their check)', async () => {
    await init;
    const dist = path.join(bare, 'node_modules/dwolla-openapi-client/dist');
    const files = (await readdir(dist, { recursive: true })).filter((f) => /\.c?js$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const code = await readFile(path.join(dist, file), 'utf8');
      // ES modules read by a lexer (static and dynamic imports with a literal specifier);
      // each .cjs is one require() of its ES module.
      const specifiers = file.endsWith('.cjs')
        ? [...code.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!)
        : parse(code)[0].flatMap((entry) => (entry.n === undefined ? [] : [entry.n]));
      const bareSpecifiers = specifiers.filter(
        (s) => !s.startsWith('node:') && !s.startsWith('.') && !builtinModules.includes(s),
      );
      // The bin's chunks import its peers: only those its entry loads after checking for them.
      const isBinChunk = file.startsWith('bin') && !file.endsWith('dwolla-openapi-client.js');
      const allowed = isBinChunk ? Object.keys(peers) : [];
      expect(
        bareSpecifiers.filter((s) => !allowed.includes(s)),
        file,
      ).toEqual([]);
    }
  });

  it('ships each entry point once: require() gives the very ES module import does', async () => {
    const out = await runIn(
      bare,
      'same.cjs',
      `(async () => {
  const required = require('dwolla-openapi-client');
  const imported = await import('dwolla-openapi-client');
  console.log(JSON.stringify({ same: required.DwollaError === imported.DwollaError, keys: Object.keys(required).length === Object.keys(imported).length }));
})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    expect(JSON.parse(out)).toEqual({ same: true, keys: true });
    const dist = path.join(bare, 'node_modules/dwolla-openapi-client/dist');
    for (const file of (await readdir(dist, { recursive: true })).filter((f) =>
      f.endsWith('.cjs'),
    )) {
      expect((await readFile(path.join(dist, file), 'utf8')).split('\n').length, file).toBeLessThan(
        5,
      );
    }
  });

  it("prints an uncaught error's throw site as a source line of normal length (ESM and CommonJS)", async () => {
    // A bad option throws at once, uncaught: Node prints the file, the line that threw, a caret
    // and the stack. From a minified build that line was the whole module (4 to 37 KB).
    for (const [file, load] of [
      ['uncaught.mjs', `import { createDwollaClient } from 'dwolla-openapi-client';`],
      ['uncaught.cjs', `const { createDwollaClient } = require('dwolla-openapi-client');`],
    ]) {
      await writeFile(path.join(bare, file!), `${load}\ncreateDwollaClient({ key: 'k' });\n`);
      const result = await run(process.execPath, [file!], { cwd: bare, env: cleanEnv }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      const { code, stderr } = result as { code: number; stderr: string };
      expect(code, file).toBe(1);
      const [where, line, caret] = stderr.split('\n');
      expect(where, file).toMatch(/dwolla-openapi-client\/dist\/index\.js:\d+$/);
      expect(line, file).toMatch(/throw /);
      expect(caret, file).toMatch(/^\s*\^$/);
      expect(stderr, file).toContain('TypeError');
      const longest = Math.max(...stderr.split('\n').map((l) => l.length));
      expect(longest, `${file}: the longest line printed`).toBeLessThan(200 + where!.length);
      expect(stderr.length, file).toBeLessThan(4_000);
    }
  });

  it('gets a token and makes a call with the client, from ESM and CommonJS', async () => {
    const script = (load: string) => `${load}
(async () => {
  const dwolla = createDwollaClient({ key: 'pkg-key', secret: 'pkg-secret', baseUrl: process.argv[2] });
  const token = await dwolla.getAccessToken();
  // Every error class keeps its name in the built code (err.name is what users log and match).
  const errors = Object.entries(pkg).filter(([k, v]) => /Error$/.test(k) && typeof v === 'function');
  const misnamed = errors.filter(([k, v]) => v.name !== k || new v('x').name !== k).map(([k]) => k);
  console.log(JSON.stringify({ token: typeof token, DwollaError: typeof DwollaError, verifyWebhookSignature: typeof verifyWebhookSignature, errorClasses: errors.length >= 9, misnamed }));
})().catch((e) => { console.error(e); process.exit(1); });`;
    await writeFile(
      path.join(bare, 'client.mjs'),
      script(
        `import * as pkg from 'dwolla-openapi-client';
const { createDwollaClient, DwollaError, verifyWebhookSignature } = pkg;`,
      ),
    );
    await writeFile(
      path.join(bare, 'client.cjs'),
      script(
        `const pkg = require('dwolla-openapi-client');
const { createDwollaClient, DwollaError, verifyWebhookSignature } = pkg;`,
      ),
    );
    const before = emu.stats().tokenRequests;
    for (const file of ['client.mjs', 'client.cjs']) {
      const { stdout } = await sh(process.execPath, [file, emu.url], bare, { timeout: 60_000 });
      expect(JSON.parse(stdout)).toEqual({
        token: 'string',
        DwollaError: 'function',
        verifyWebhookSignature: 'function',
        errorClasses: true,
        misnamed: [],
      });
    }
    expect(emu.stats().tokenRequests - before).toBe(2);
  });

  it('fails to import ./emulator, ./transport and ./redis at once, naming the missing peers and how to install them', async () => {
    for (const [entry, names] of [
      ['dwolla-openapi-client/emulator', EMULATOR_PEERS],
      ['dwolla-openapi-client/transport', TRANSPORT_PEERS],
      ['dwolla-openapi-client/redis', ['redis']],
    ] as const) {
      const esm = await runIn(
        bare,
        'entry.mjs',
        `try { await import('${entry}'); console.log('imported'); }
catch (e) { console.log(e.message); }`,
      );
      const cjs = await runIn(
        bare,
        'entry.cjs',
        `try { require('${entry}'); console.log('imported'); }
catch (e) { console.log(e.message); }`,
      );
      for (const message of [esm, cjs]) {
        expect(message).toContain(entry);
        expect(message).toContain(`npm install ${names.join(' ')}`);
      }
    }
  });
});

describe('the npm package, with its declared peers', () => {
  it('installs them with --engine-strict, and the emulator it ships answers a token (ESM, both transports)', async () => {
    const out = await runIn(
      full,
      'token.mjs',
      `import { createDwollaClient } from 'dwolla-openapi-client';
import { startEmulator } from 'dwolla-openapi-client/emulator';
import { createUndiciTransport } from 'dwolla-openapi-client/transport';
const emu = await startEmulator({ key: 'k', secret: 's' });
const fast = createUndiciTransport();
try {
  const viaFetch = await createDwollaClient({ key: 'k', secret: 's', baseUrl: emu.url }).getAccessToken();
  const viaUndici = await createDwollaClient({ key: 'k', secret: 's', baseUrl: emu.url, transport: fast }).getAccessToken();
  const dashboard = [];
  for (const path of ['', '/dashboard.css', '/dashboard.js']) dashboard.push((await fetch(emu.dashboardUrl + path)).status);
  console.log(JSON.stringify({ a: typeof viaFetch, b: typeof viaUndici, differ: viaFetch !== viaUndici, tokens: emu.stats().tokenRequests, dashboard }));
} finally {
  await fast.close();
  await emu.close();
}`,
    );
    expect(JSON.parse(out)).toEqual({
      a: 'string',
      b: 'string',
      differ: true,
      tokens: 2,
      dashboard: [200, 200, 200],
    });
  });

  it('and from CommonJS', async () => {
    const out = await runIn(
      full,
      'token.cjs',
      `const { createDwollaClient } = require('dwolla-openapi-client');
const { startEmulator } = require('dwolla-openapi-client/emulator');
(async () => {
  const emu = await startEmulator({ key: 'k', secret: 's' });
  try {
    const token = await createDwollaClient({ key: 'k', secret: 's', baseUrl: emu.url }).getAccessToken();
    const dashboard = [];
    for (const path of ['', '/dashboard.css', '/dashboard.js']) dashboard.push((await fetch(emu.dashboardUrl + path)).status);
    console.log(typeof token, token.length > 0, dashboard.join(' '));
  } finally {
    await emu.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    expect(out).toBe('string true 200 200 200');
  });

  it('imports ./transport from ESM and CommonJS', async () => {
    const esm = await runIn(
      full,
      'transport.mjs',
      `import * as t from 'dwolla-openapi-client/transport'; console.log(Object.keys(t).sort().join());`,
    );
    const cjs = await runIn(
      full,
      'transport.cjs',
      `console.log(Object.keys(require('dwolla-openapi-client/transport')).sort().join());`,
    );
    expect(esm).toBe(cjs);
    expect(esm.split(',')).toContain('createUndiciTransport');
  });

  it('shares one token between two clients through ./redis and a real redis-server (ESM and CommonJS)', async () => {
    const redis = await startRedisServer();
    try {
      const script = (load: string) => `${load}
(async () => {
  const [url, redisUrl] = process.argv.slice(2);
  const stores = [createRedisTokenStore({ url: redisUrl }), createRedisTokenStore({ url: redisUrl })];
  const clients = stores.map((tokenStore) => createDwollaClient({ key: 'pkg-key', secret: 'pkg-secret', baseUrl: url, tokenStore }));
  const tokens = await Promise.all(clients.map((c) => c.getAccessToken()));
  await Promise.all(stores.map((s) => s.close()));
  console.log(JSON.stringify({ same: tokens[0] === tokens[1] }));
})().catch((e) => { console.error(e); process.exit(1); });`;
      await writeFile(
        path.join(full, 'redis.mjs'),
        script(`import { createDwollaClient } from 'dwolla-openapi-client';
import { createRedisTokenStore } from 'dwolla-openapi-client/redis';`),
      );
      await writeFile(
        path.join(full, 'redis.cjs'),
        script(`const { createDwollaClient } = require('dwolla-openapi-client');
const { createRedisTokenStore } = require('dwolla-openapi-client/redis');`),
      );
      for (const file of ['redis.mjs', 'redis.cjs']) {
        const before = emu.stats().tokenRequests;
        const { stdout } = await sh(process.execPath, [file, emu.url, redis.url], full, {
          timeout: 60_000,
        });
        expect(JSON.parse(stdout)).toEqual({ same: true });
        expect(emu.stats().tokenRequests - before).toBe(file === 'redis.mjs' ? 1 : 0);
      }
    } finally {
      await redis.stop();
    }
  });

  it('type-checks for TypeScript 5.9 and 7 users of ESM and CommonJS (moduleResolution node16)', async () => {
    await writeFile(
      path.join(full, 'use.mts'),
      `import { createDwollaClient, DwollaError, type DwollaClient } from 'dwolla-openapi-client';
import { startEmulator, type Emulator } from 'dwolla-openapi-client/emulator';
import { createUndiciTransport, type UndiciTransportOptions } from 'dwolla-openapi-client/transport';
export async function f(): Promise<string> {
  const emu: Emulator = await startEmulator({ key: 'k', secret: 's' });
  const options: UndiciTransportOptions = { connections: 4, connectTimeoutMs: 5_000, tls: { ca: 'PEM' } };
  const c: DwollaClient = createDwollaClient({ key: 'k', secret: 's', baseUrl: emu.url, transport: createUndiciTransport(options) });
  const e: unknown = new Error();
  if (e instanceof DwollaError) return e.message;
  return c.getAccessToken();
}
`,
    );
    await writeFile(
      path.join(full, 'use.cts'),
      `import { createDwollaClient, type DwollaClient } from 'dwolla-openapi-client';
export const make = (): DwollaClient => createDwollaClient({ key: 'k', secret: 's', environment: 'sandbox' });
`,
    );
    // @types/node for the declarations' node: imports, from this repository.
    await writeFile(
      path.join(full, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            module: 'node16',
            moduleResolution: 'node16',
            target: 'es2022',
            lib: ['es2023', 'dom'],
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [path.join(root, 'node_modules/@types')],
          },
          files: ['use.mts', 'use.cts'],
        },
        null,
        2,
      ),
    );
    // TypeScript 5.9 (`typescript`) and 7 (`@typescript/native`), this repository's two.
    for (const [compiler, version] of [
      ['typescript', /^Version 5\.9\./],
      ['@typescript/native', /^Version 7\./],
    ] as const) {
      const tsc = path.join(root, 'node_modules', compiler, 'bin/tsc');
      expect((await sh(process.execPath, [tsc, '--version'], full)).stdout).toMatch(version);
      await sh(process.execPath, [tsc, '-p', '.'], full);
    }
  }, 180_000);
});

describe('the npm package, checked by tools', () => {
  it('passes publint', async () => {
    const { stdout } = await sh(bin('publint'), ['--strict'], packed.source);
    expect(stdout).toContain('All good!');
  }, 120_000);

  it('passes @arethetypeswrong/cli (node16 CJS and ESM, bundler)', async () => {
    // node10 resolution (TypeScript's legacy `moduleResolution: node`) cannot see "exports"
    // subpaths at all, so the node16 profile leaves it out; the root still resolves there.
    // attw exits non-zero on any problem in the profile; the JSON lists every problem found.
    const { stdout } = await sh(
      bin('attw'),
      [tarball, '--profile', 'node16', '--format', 'json'],
      root,
    );
    const report = JSON.parse(stdout) as {
      analysis: { problems: { kind: string; entrypoint?: string; resolutionKind?: string }[] };
    };
    const problems = report.analysis.problems;
    expect(problems.filter((p) => p.resolutionKind !== 'node10')).toEqual([]);
    // What node10 lacks is exactly the subpaths, nothing else.
    expect(problems.map((p) => `${p.kind} ${p.entrypoint}`).sort()).toEqual(
      expect.arrayContaining([
        'NoResolution ./emulator',
        'NoResolution ./redis',
        'NoResolution ./transport',
      ]),
    );
    expect(problems.every((p) => p.kind === 'NoResolution' && p.entrypoint !== '.')).toBe(true);
  }, 120_000);
});
